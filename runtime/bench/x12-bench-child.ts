/**
 * One parser reading the bench file, in its own process so its peak RSS is its own. Prints one
 * JSON line: milliseconds, peak RSS in MB and what it read.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseX12, streamX12 } from '@crossdock/nodes';
import { X12FatInterchange, X12Parser } from 'node-x12';
import { X12parser } from 'x12-parser';

const [mode = '', file = ''] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: x12-bench-child <mode> <file>');

async function run(): Promise<string> {
  switch (mode) {
    case 'idle':
      return 'nothing read (the process itself)';
    case 'crossdock-stream': {
      let documents = 0;
      let ok = false;
      for await (const e of streamX12(createReadStream(file, { highWaterMark: 64 * 1024 }))) {
        if (e.kind === 'document') documents++;
        else if (e.kind === 'end') ok = e.ok;
      }
      return `${documents} canonical documents, ok=${ok}`;
    }
    case 'crossdock-whole': {
      const result = parseX12(await readFile(file, 'utf8'));
      return `${result.documents.length} canonical documents, ok=${result.ok}`;
    }
    case 'node-x12': {
      const parsed = new X12Parser(true).parse(await readFile(file, 'utf8'));
      const interchanges = parsed instanceof X12FatInterchange ? parsed.interchanges : [parsed];
      const sets = interchanges
        .flatMap((i) => i.functionalGroups)
        .reduce((n, g) => n + g.transactions.length, 0);
      return `${sets} transaction sets as an object tree (no mapping)`;
    }
    case 'x12-parser': {
      let segments = 0;
      await new Promise<void>((resolve, reject) => {
        const parser = new X12parser();
        parser.on('data', () => segments++);
        parser.on('end', resolve);
        parser.on('error', reject);
        createReadStream(file).on('error', reject).pipe(parser);
      });
      return `${segments} segments as objects (no envelope checks, no mapping)`;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

const started = performance.now();
const read = await run();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ mode, ms: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), read })}\n`,
);
