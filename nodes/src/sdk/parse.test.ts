import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import { sampleFlow } from '../testing/sample-flow';
import { formatFlow } from './format';
import { loadFlow } from './load';
import { parseJson } from './parse';

describe('parseJson', () => {
  it('gives line and column for truncated JSON and never throws', () => {
    const text = formatFlow(sampleFlow());
    const cut = text.slice(0, 200);
    const parsed = parseJson(cut);
    expect(parsed.value).toBeUndefined();
    const [d] = parsed.diagnostics;
    expect(d).toMatchObject({ severity: 'error', code: 'json.syntax' });
    expect(d?.line).toBe(cut.split('\n').length);
    expect(d?.message).toMatch(/line \d+, column \d+/);
  });

  it('refuses comments and trailing commas', () => {
    expect(parseJson('{"a": 1, // x\n}').diagnostics[0]?.code).toBe('json.syntax');
    expect(parseJson('{"a": 1,}').diagnostics[0]?.code).toBe('json.syntax');
  });

  it('locates a path in the text', () => {
    const parsed = parseJson('{\n  "nodes": [\n    {"id": "a"}\n  ]\n}\n');
    expect(parsed.locate(['nodes', 0, 'id'])).toEqual({ line: 3, column: 12 });
    expect(parsed.locate(['nodes', 7])).toEqual({ line: 2, column: 12 });
  });
});

describe('loadFlow', () => {
  it('attaches line and column to validation diagnostics', () => {
    const doc = sampleFlow();
    (doc.nodes[1] as { type: string }).type = 'rule.nope';
    const text = formatFlow(doc);
    const loaded = loadFlow(text, catalog);
    expect(loaded.flow).toBeUndefined();
    const [d] = loaded.diagnostics;
    const line = text.split('\n').findIndex((l) => l.includes('"rule.nope"')) + 1;
    expect(d).toMatchObject({ code: 'node.unknown-type', line });
  });

  it('returns the flow when it is valid', () => {
    const loaded = loadFlow(formatFlow(sampleFlow()), catalog);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.flow?.id).toBe('sample');
  });

  it('refuses a file from a newer format', () => {
    const loaded = loadFlow(JSON.stringify({ ...sampleFlow(), schemaVersion: 99 }), catalog);
    expect(loaded.diagnostics[0]?.message).toContain('newer Crossdock');
  });
});
