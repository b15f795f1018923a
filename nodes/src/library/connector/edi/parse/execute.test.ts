import { describe, expect, it } from 'vitest';
import { sample } from '../../../../edi/samples';
import { checkSchema } from '../../../../sdk/schema-check';
import { payloadAt } from '../../../../testing/emissions';
import { fakeContext, message } from '../../../../testing/fake-context';
import { catalog } from '../../../manifests';
import { executeEdiParse } from './execute';

const po = sample('850-purchase-order.x12');
const carrier = sample('214-status-and-210-invoice.x12');
const defaults = { emit: 'each', onRejected: 'fail', acknowledge: true };

describe('connector.edi-parse', () => {
  it('emits the canonical object and the 997 on "ack"', async () => {
    const result = await executeEdiParse(message(po), fakeContext(defaults));
    expect(result.emissions.map((e) => e.port)).toEqual(['out', 'ack']);
    expect(result.emissions[0]?.payload).toMatchObject({
      orderNumber: 'PO-4500012345',
      lines: [{}, {}, {}],
    });
    const ack = result.emissions[1]?.payload as { x12: string; acknowledgments: unknown[] };
    expect(ack.x12).toContain('AK1*PO*4711~AK2*850*0001~AK5*A~AK9*A*1*1*1~');
    expect(ack.x12).toMatch(/\*261127\*1000\*U\*00401\*\d{9}\*0\*P\*>~/);
    expect(ack.acknowledgments).toHaveLength(1);
  });

  it('derives the 997 control number from the idempotency key, so a retry sends the same', async () => {
    const run = async (key: string) => {
      const r = await executeEdiParse(message(po), fakeContext(defaults, { idempotencyKey: key }));
      return payloadAt<{ x12: string }>(r, 1).x12.slice(90, 99);
    };
    expect(await run('run-1:parse')).toBe(await run('run-1:parse'));
    expect(await run('run-1:parse')).not.toBe(await run('run-2:parse'));
  });

  it('counts 997 control numbers per run when asked', async () => {
    const ctx = fakeContext({ ...defaults, ackControlNumbers: 'run-counter' });
    const first = await executeEdiParse(message(po), ctx);
    const second = await executeEdiParse(message(po), ctx);
    expect(payloadAt<{ x12: string }>(first, 1).x12).toContain('*000000001*0*P*');
    expect(payloadAt<{ x12: string }>(second, 1).x12).toContain('*000000002*0*P*');
  });

  it('emits one message per 214 milestone, or one batch with the envelope', async () => {
    const each = await executeEdiParse(
      message(carrier),
      fakeContext({ ...defaults, acknowledge: false }),
    );
    expect(
      each.emissions.map(
        (e) => (e.payload as { status?: string; invoiceNumber?: string }).status ?? 'invoice',
      ),
    ).toEqual([
      'arrived-at-pickup',
      'departed',
      'in-transit',
      'delayed',
      'arrived',
      'delivered',
      'invoice',
    ]);
    const batch = await executeEdiParse(
      message({ body: carrier }),
      fakeContext({ ...defaults, emit: 'batch', field: 'body' }),
    );
    expect(batch.emissions[0]?.payload).toMatchObject({
      interchange: { sender: { qualifier: '02', id: 'EXFL' }, controlNumber: '000214210' },
      documents: [{ set: '214' }, { set: '214' }, { set: '210', type: 'FreightInvoice' }],
    });
  });

  it('fails with a permanent error naming the segment, with the rejecting 997 in the details', async () => {
    const broken = po.replace('SE*28*0001', 'SE*29*0001');
    const error = await executeEdiParse(message(broken), fakeContext(defaults)).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
      message:
        'The X12 interchange has 1 problem(s); first: SE01 says 29 segments, found 28 (segment 30, SE).',
    });
    expect((error as { details: { ack: string } }).details.ack).toContain('AK5*R*4~AK9*R*1*1*0~');
  });

  it('passes accepted sets on and rejects the others in the 997 with onRejected "acknowledge"', async () => {
    const broken = carrier.replace('SE^12^0002', 'SE^13^0002');
    const ctx = fakeContext({ ...defaults, onRejected: 'acknowledge' });
    const result = await executeEdiParse(message(broken), ctx);
    expect(result.emissions.filter((e) => e.port === 'out')).toHaveLength(5);
    expect(payloadAt<{ x12: string }>(result, -1).x12).toContain('AK5*R*4~AK9*P*2*2*1~');
    expect(ctx.extras.logs[0]).toMatchObject({
      level: 'warn',
      message: expect.stringContaining('SE01 says 13'),
    });
  });

  it('refuses input that is not X12 text', async () => {
    await expect(
      executeEdiParse(message({ order: 1 }), fakeContext(defaults)),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringContaining('must be X12 text'),
    });
    await expect(
      executeEdiParse(message({ body: 5 }), fakeContext({ ...defaults, field: 'body' })),
    ).rejects.toMatchObject({
      message: 'The message has no text field "body" with the X12 interchange.',
    });
    await expect(
      executeEdiParse(
        message('ISA*00*oops'),
        fakeContext({ ...defaults, onRejected: 'acknowledge' }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('The ISA segment is 106 characters long'),
    });
  });

  it('rejects a bad config', () => {
    const manifest = catalog.get('connector.edi-parse');
    expect(manifest && checkSchema(manifest.configSchema, { emit: 'all', extra: 1 })).toEqual([
      expect.objectContaining({ pointer: ['extra'] }),
      expect.objectContaining({ pointer: ['emit'], keyword: 'enum' }),
    ]);
  });
});
