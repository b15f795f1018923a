/**
 * `pnpm bench` (X12 part): a 15 MB interchange of mixed 850/856 sets, generated here, read by
 * Crossdock (streamed from the file, and whole) and by the two npm parsers `node-x12` and
 * `x12-parser`, each in a fresh process of the same bundle on plain node. Prints parse time
 * and peak RSS side by side; `idle` is the process alone, so the parsers' own cost is the
 * difference.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { benchInterchange } from './x12-document';

const MEGABYTES = Number(process.env.BENCH_X12_MB ?? 15);
const MODES = ['idle', 'crossdock-stream', 'crossdock-whole', 'node-x12', 'x12-parser'] as const;

const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-x12-bench-'));
try {
  const doc = benchInterchange(MEGABYTES * 1024 * 1024);
  const file = path.join(dir, 'bench.x12');
  writeFileSync(file, doc.text);
  const bundle = path.join(dir, 'x12-bench-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./x12-bench-child.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as cdCreateRequire } from 'node:module'; const require = cdCreateRequire(import.meta.url);",
    },
  });
  console.log(
    `X12 parse: ${(doc.text.length / 1024 / 1024).toFixed(1)} MB, ${doc.sets} sets (${doc.orders} x 850, ${doc.sets - doc.orders} x 856), one process per parser`,
  );
  console.log(`${'parser'.padEnd(18)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}  read`);
  for (const mode of MODES) {
    const { stdout } = await promisify(execFile)(process.execPath, [bundle, mode, file], {
      maxBuffer: 1024 * 1024,
    });
    const r = JSON.parse(stdout.trim()) as { ms: number; peakRssMb: number; read: string };
    console.log(
      `${mode.padEnd(18)} ${`${r.ms} ms`.padStart(9)} ${`${r.peakRssMb} MB`.padStart(10)}  ${r.read}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
