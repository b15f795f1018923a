import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../sdk/json';
import { checkSchema } from '../../../../sdk/schema-check';
import { payloadAt } from '../../../../testing/emissions';
import { fakeContext, message } from '../../../../testing/fake-context';
import { catalog } from '../../../manifests';
import { executeCsvGenerate } from './execute';

const rows: JsonObject[] = [
  { sku: 'SKU-1', quantity: 12, hazardous: false, shipTo: { city: 'Chicago, IL' } },
  { sku: 'SKU-2', quantity: 4.5, note: 'say "hi"', tags: ['a'] },
];

describe('connector.csv-generate', () => {
  it('writes the fields in first-seen order, quoting only what needs it', async () => {
    const result = await executeCsvGenerate(message({ rows }), fakeContext({}));
    expect(result.emissions[0]?.payload).toEqual({
      csv: 'sku,quantity,hazardous,shipTo,note,tags\nSKU-1,12,false,"{""city"":""Chicago, IL""}",,\nSKU-2,4.5,,,"say ""hi""","[""a""]"\n',
      rowCount: 2,
    });
  });

  it('writes chosen columns with dotted paths, headers, delimiter and CR LF', async () => {
    const config: JsonObject = {
      columns: [
        { field: 'sku', header: 'Item' },
        { field: 'shipTo.city', header: 'City' },
        { field: 'quantity' },
      ],
      delimiter: ';',
      eol: '\r\n',
    };
    const result = await executeCsvGenerate(message(rows), fakeContext(config));
    expect(payloadAt<{ csv: string }>(result, 0).csv).toBe(
      'Item;City;quantity\r\nSKU-1;Chicago, IL;12\r\nSKU-2;;4.5\r\n',
    );
    const bare = await executeCsvGenerate(
      message({ lines: rows }),
      fakeContext({ ...config, field: 'lines', header: false, quoted: true }),
    );
    expect(payloadAt<{ csv: string }>(bare, 0).csv).toBe(
      '"SKU-1";"Chicago, IL";"12"\r\n"SKU-2";;"4.5"\r\n',
    );
  });

  it('refuses input that is not a list of rows', async () => {
    await expect(executeCsvGenerate(message('a,b'), fakeContext({}))).rejects.toMatchObject({
      name: 'PermanentError',
      message: 'The message must be a list of rows or an object with a "rows" list.',
    });
    await expect(
      executeCsvGenerate(message([{ a: 1 }, 'x']), fakeContext({})),
    ).rejects.toMatchObject({
      message: 'Row 2 is not an object.',
    });
  });

  it('rejects a bad config, in the schema and at run time', async () => {
    const manifest = catalog.get('connector.csv-generate');
    expect(
      manifest &&
        checkSchema(manifest.configSchema, { columns: [{ field: 'a.__proto__.b' }], eol: '\r' }),
    ).toEqual([
      expect.objectContaining({ pointer: ['columns', 0, 'field'], keyword: 'pattern' }),
      expect.objectContaining({ pointer: ['eol'], keyword: 'enum' }),
    ]);
    await expect(
      executeCsvGenerate(message(rows), fakeContext({ columns: [{ field: 'constructor' }] })),
    ).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });
});
