import { readFile } from 'node:fs/promises';
import { catalog } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { nodeReferenceFile, nodeReferenceText } from './commands/docs';

describe('node reference', () => {
  it('docs/nodes.md is up to date with the manifests and samples (run: pnpm crossdock docs)', async () => {
    const current = await readFile(nodeReferenceFile(), 'utf8').catch(() => '');
    expect(current === (await nodeReferenceText())).toBe(true);
  });

  it('documents every node type with its config fields and a sample', async () => {
    const text = await nodeReferenceText();
    for (const m of catalog.list()) {
      const start = text.indexOf(`### ${m.type}\n`);
      expect(start, m.type).toBeGreaterThan(0);
      const section = text.slice(start, text.indexOf('\n### ', start + 1) >>> 0);
      expect(section, m.type).toContain('#### Config');
      expect(section, m.type).toContain('**Sample `');
    }
  });
});
