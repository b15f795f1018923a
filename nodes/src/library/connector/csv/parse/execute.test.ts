import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../sdk/json';
import { checkSchema } from '../../../../sdk/schema-check';
import { payloadAt } from '../../../../testing/emissions';
import { fakeContext, message } from '../../../../testing/fake-context';
import { catalog } from '../../../manifests';
import { executeCsvGenerate } from '../generate/execute';
import { executeCsvParse } from './execute';

const defaults = { delimiter: ',', headers: true, trim: true, emit: 'batch', maxRows: 10000 };
const stock =
  '\uFEFFsku;description;qty;hazmat;counted\r\nSKU-1;"Paper; A4";12;no;2026-11-27\r\nSKU-2; Pencils ;4.5;Y;2026-11-26\r\n\r\n';
const columns: JsonObject[] = [
  { source: 'sku', target: 'sku', required: true },
  { source: 'qty', target: 'quantity', type: 'number', required: true },
  { source: 'hazmat', target: 'hazardous', type: 'boolean' },
  { source: 'counted', target: 'countedOn', type: 'date' },
  { source: 2, target: 'description' },
];

describe('connector.csv-parse', () => {
  it('reads a header, quoted cells, a BOM and CR LF into typed rows', async () => {
    const result = await executeCsvParse(
      message(stock),
      fakeContext({ ...defaults, delimiter: ';', columns }),
    );
    expect(result.emissions).toEqual([
      {
        port: 'out',
        payload: {
          rowCount: 2,
          rows: [
            {
              sku: 'SKU-1',
              quantity: 12,
              hazardous: false,
              countedOn: '2026-11-27',
              description: 'Paper; A4',
            },
            {
              sku: 'SKU-2',
              quantity: 4.5,
              hazardous: true,
              countedOn: '2026-11-26',
              description: 'Pencils',
            },
          ],
        },
      },
    ]);
  });

  it('keeps every column as text without a mapping, or arrays without headers, one message each', async () => {
    const plain = await executeCsvParse(
      message({ file: 'a,b\n1,2\n' }),
      fakeContext({ ...defaults, field: 'file' }),
    );
    expect(plain.emissions[0]?.payload).toEqual({ rows: [{ a: '1', b: '2' }], rowCount: 1 });
    const arrays = await executeCsvParse(
      message('1,2\n3,4\n'),
      fakeContext({ ...defaults, headers: false, emit: 'each' }),
    );
    expect(arrays.emissions.map((e) => e.payload)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('lists every cell that cannot be converted, with line and column', async () => {
    const bad = 'sku;qty;hazmat;counted\n;abc;maybe;2026-02-30\n';
    await expect(
      executeCsvParse(
        message(bad),
        fakeContext({ ...defaults, delimiter: ';', columns: columns.slice(0, 4) }),
      ),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'validation-failed',
      message:
        '4 cell(s) cannot be read: line 2, column "sku": is empty but required. line 2, column "qty": "abc" is not a number. line 2, column "hazmat": "maybe" is not true/false, yes/no, y/n or 1/0. line 2, column "counted": "2026-02-30" is not a date (YYYY-MM-DD).',
    });
  });

  it('refuses broken CSV, unknown columns, prototype headers, too many rows and non-text input', async () => {
    await expect(
      executeCsvParse(message('a,b\n"1,2\n'), fakeContext(defaults)),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('The CSV cannot be read'),
    });
    await expect(
      executeCsvParse(
        message('a\n1\n'),
        fakeContext({ ...defaults, columns: [{ source: 'b', target: 'b' }] }),
      ),
    ).rejects.toMatchObject({ message: 'Column "b" is not in the header (a).' });
    await expect(
      executeCsvParse(message('__proto__,b\n1,2\n'), fakeContext(defaults)),
    ).rejects.toMatchObject({
      message: 'The CSV header "__proto__" is not allowed as a field name.',
    });
    await expect(
      executeCsvParse(message('a\n1\n2\n3\n'), fakeContext({ ...defaults, maxRows: 2 })),
    ).rejects.toMatchObject({
      message: 'The CSV has more than 2 rows (maxRows).',
    });
    await expect(executeCsvParse(message(42), fakeContext(defaults))).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('rejects a bad config', () => {
    const manifest = catalog.get('connector.csv-parse');
    expect(
      manifest &&
        checkSchema(manifest.configSchema, {
          delimiter: ';;',
          columns: [{ source: 'a', target: '__proto__', type: 'money' }],
        }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: ['delimiter'] }),
        expect.objectContaining({ pointer: ['columns', 0, 'target'], keyword: 'pattern' }),
        expect.objectContaining({ pointer: ['columns', 0, 'type'], keyword: 'enum' }),
      ]),
    );
  });

  it('reads back what csv-generate writes, whatever the text', async () => {
    const text = fc.string({ maxLength: 12 }).filter((s) => s.trim() === s && s !== '');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ a: text, b: text }), { minLength: 1, maxLength: 5 }),
        async (rows) => {
          const written = await executeCsvGenerate(
            message(rows),
            fakeContext({ delimiter: ';', header: true }),
          );
          const csv = payloadAt<{ csv: string }>(written, 0).csv;
          const read = await executeCsvParse(
            message(csv),
            fakeContext({ ...defaults, delimiter: ';' }),
          );
          expect(payloadAt<{ rows: unknown }>(read, 0).rows).toEqual(rows);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fails only with classified errors on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(',', ';', '\t'),
        async (text, delimiter) => {
          const outcome = await executeCsvParse(
            message(text),
            fakeContext({
              ...defaults,
              delimiter,
              columns: [{ source: 1, target: 'a', type: 'number' }],
            }),
          ).catch((error: unknown) => error);
          if (outcome instanceof Error) expect(outcome.name).toBe('PermanentError');
          else expect(outcome).toHaveProperty('emissions');
        },
      ),
      { numRuns: 200 },
    );
  });
});
