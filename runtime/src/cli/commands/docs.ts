import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catalog, type ReferenceSample, renderNodeReference } from '@crossdock/nodes';
import { loadSamples } from '@crossdock/nodes/samples';
import { flowsDir } from '../environments';
import { displayPath } from '../files';

/** Where the node reference lives: `docs/nodes.md` beside the flows folder. */
export function nodeReferenceFile(): string {
  return path.join(path.dirname(flowsDir()), 'docs', 'nodes.md');
}

/** The node reference as generated from the manifests and samples now. */
export async function nodeReferenceText(): Promise<string> {
  const samples: Record<string, ReferenceSample[]> = {};
  for (const s of await loadSamples()) {
    const list = samples[s.type] ?? [];
    list.push({
      name: s.name,
      description: s.description,
      config: s.config,
      input: s.input,
      expected: s.expected,
    });
    samples[s.type] = list;
  }
  return renderNodeReference(catalog.list(), samples);
}

/** Writes docs/nodes.md, or with `--check` exits 1 when it is out of date. */
export async function docsCommand(options: { check?: boolean }): Promise<number> {
  const file = nodeReferenceFile();
  const text = await nodeReferenceText();
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === text) {
    process.stdout.write(`ok   ${displayPath(file)} up to date\n`);
    return 0;
  }
  if (options.check) {
    process.stdout.write(`${file}: out of date (run: pnpm crossdock docs)\n`);
    return 1;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`${file}: written\n`);
  return 0;
}
