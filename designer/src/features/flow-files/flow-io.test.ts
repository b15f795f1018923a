import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bumpVersion, exportFlowText, importFlowText, slugify } from './flow-io';

describe('flow import and export', () => {
  it('imports a flow file and exports it byte for byte', () => {
    const text = readFileSync(
      new URL('../../../../flows/erp-order-release.flow.json', import.meta.url),
      'utf8',
    );
    const r = importFlowText(text);
    if (!('doc' in r)) throw new Error(r.error);
    expect(exportFlowText(r.doc)).toBe(text);
  });

  it('says what is wrong with a file that is not a flow', () => {
    expect(importFlowText('{"a": ')).toHaveProperty('error');
    expect(importFlowText('[1]')).toEqual({ error: 'A flow file holds a JSON object.' });
    const r = importFlowText('{"schemaVersion": 1, "id": "x"}');
    expect('error' in r && r.error).toMatch(/Not a flow file/);
  });

  it('bumps versions and makes ids', () => {
    expect(bumpVersion('1.2.3', 'patch')).toBe('1.2.4');
    expect(bumpVersion('1.2.3', 'minor')).toBe('1.3.0');
    expect(bumpVersion('1.2.3', 'major')).toBe('2.0.0');
    expect(slugify('Order → WMS!')).toBe('order-wms');
  });
});
