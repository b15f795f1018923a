import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fmtCommand } from './commands/fmt';
import { validateFiles } from './commands/validate';
import { collectFiles } from './files';

const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-recon-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stream = {
  schemaVersion: 1,
  id: 'items',
  name: 'Items',
  kind: 'master-data',
  domain: 'items',
  owner: 'md',
  schedule: { cron: '0 5 * * *' },
  systemOfRecord: 'right',
  left: { system: 'erp', connection: 'erp', path: '/materials', key: ['MATNR'] },
  right: { system: 'wms', connection: 'wms', path: '/items', key: ['sku'] },
  fields: [{ name: 'w', type: 'number', left: { path: 'BRGEW' }, right: { path: 'weightLb' } }],
  correction: { flow: 'missing-flow' },
};

describe('reconciliation files in validate and fmt', () => {
  it('finds them in flows/reconciliations, names what is wrong with line and path, formats them', async () => {
    mkdirSync(path.join(dir, 'reconciliations'));
    const file = path.join(dir, 'reconciliations', 'other.json');
    writeFileSync(file, JSON.stringify(stream));
    const found = await collectFiles([dir]);
    expect(found.map((f) => f.kind)).toEqual(['reconciliation']);
    const [report] = await validateFiles(found);
    expect(report?.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['reconciliation.id-mismatch', '$.id'],
      ['reconciliation.system-of-record', '$.systemOfRecord'],
      ['reconciliation.unknown-flow', '$.correction.flow'],
    ]);
    expect(report?.diagnostics[0]?.line).toBe(1);
    const write = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await fmtCommand([dir], { check: true })).toBe(1);
      expect(await fmtCommand([dir], {})).toBe(0);
      expect(await fmtCommand([dir], { check: true })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(readFileSync(file, 'utf8')).toMatch(/^\{\n {2}"schemaVersion": 1,\n {2}"id": "items",/);
  });
});
