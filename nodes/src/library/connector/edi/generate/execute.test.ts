import { describe, expect, it } from 'vitest';
import { canonicalExamples } from '../../../../canonical/examples';
import { parseX12 } from '../../../../edi/parse';
import type { JsonValue } from '../../../../sdk/json';
import { checkSchema } from '../../../../sdk/schema-check';
import { payloadAt } from '../../../../testing/emissions';
import { fakeContext, message } from '../../../../testing/fake-context';
import { catalog } from '../../../manifests';
import { executeEdiGenerate } from './execute';

const config = {
  transactionSet: '850',
  senderId: 'CROSSDOCK',
  receiverId: 'NORTHWIND',
  receiverQualifier: '01',
};
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as JsonValue;

describe('connector.edi-generate', () => {
  it('writes an interchange that reads back to the same object', async () => {
    const result = await executeEdiGenerate(
      message(json(canonicalExamples.SalesOrder)),
      fakeContext(config),
    );
    const out = result.emissions[0]?.payload as {
      x12: string;
      controlNumber: number;
      count: number;
    };
    expect(result.emissions[0]?.port).toBe('out');
    expect(out.count).toBe(1);
    expect(out.x12).toContain(
      `*01*NORTHWIND      *261127*1000*U*00401*${String(out.controlNumber).padStart(9, '0')}*0*P*>~`,
    );
    expect(parseX12(out.x12).documents[0]?.value).toEqual(canonicalExamples.SalesOrder);
  });

  it('takes the control number from the idempotency key (stable across retries)', async () => {
    const number = async (key: string) => {
      const r = await executeEdiGenerate(
        message(json(canonicalExamples.SalesOrder)),
        fakeContext(config, { idempotencyKey: key }),
      );
      return payloadAt<{ controlNumber: number }>(r, 0).controlNumber;
    };
    expect(await number('run-7:gen')).toBe(await number('run-7:gen'));
    expect(await number('run-7:gen')).not.toBe(await number('run-8:gen'));
    const ctx = fakeContext({ ...config, controlNumbers: 'run-counter' });
    const first = await executeEdiGenerate(message(json(canonicalExamples.SalesOrder)), ctx);
    const second = await executeEdiGenerate(message(json(canonicalExamples.SalesOrder)), ctx);
    expect(
      [first, second].map((r) => payloadAt<{ controlNumber: number }>(r, 0).controlNumber),
    ).toEqual([1, 2]);
  });

  it('writes all milestones of a shipment as one 214 with custom delimiters', async () => {
    const m = canonicalExamples.CarrierMilestone;
    const milestones = [
      m,
      { ...m, status: 'delivered', statusCode: 'D1', occurredAt: '2026-12-01T16:05:00Z' },
    ];
    const result = await executeEdiGenerate(
      message(json(milestones)),
      fakeContext({
        ...config,
        transactionSet: '214',
        delimiters: { element: '|', segment: '~', component: ':' },
        lineBreaks: true,
      }),
    );
    const x12 = payloadAt<{ x12: string }>(result, 0).x12;
    expect(x12).toContain('LX|2~\r\nAT7|D1|NS|||20261201|1605|UT~');
    const doc = parseX12(x12).documents[0];
    expect(doc?.set === '214' && doc.value.map((v) => v.status)).toEqual(['departed', 'delivered']);
  });

  it('refuses an invalid canonical object with the field named', async () => {
    const bad = { ...canonicalExamples.FreightInvoice, currency: 'XXX' };
    await expect(
      executeEdiGenerate(message(json(bad)), fakeContext({ ...config, transactionSet: '210' })),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
      message: expect.stringContaining('$.currency'),
    });
    await expect(executeEdiGenerate(message('PO-1'), fakeContext(config))).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('rejects a bad config, in the schema and at run time', async () => {
    const manifest = catalog.get('connector.edi-generate');
    expect(
      manifest &&
        checkSchema(manifest.configSchema, {
          transactionSet: '855',
          senderId: 'A'.repeat(16),
          receiverId: 'B',
        }),
    ).toEqual([
      expect.objectContaining({ pointer: ['transactionSet'], keyword: 'enum' }),
      expect.objectContaining({ pointer: ['senderId'], keyword: 'maxLength' }),
    ]);
    await expect(
      executeEdiGenerate(
        message(json(canonicalExamples.SalesOrder)),
        fakeContext({ transactionSet: '855', senderId: 'A', receiverId: 'B' }),
      ),
    ).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
