import { nextControlNumber } from '../../../../edi/control-number';
import { partnerEnvelope, partnerOf } from '../../../../edi/partners';
import { isTransactionSetId, type TransactionSetId } from '../../../../edi/registry';
import type { Delimiters } from '../../../../edi/types';
import { type EnvelopeSettings, generateX12, type OutgoingDocument } from '../../../../edi/write';
import { PermanentError } from '../../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { isJsonObject, type JsonValue } from '../../../../sdk/json';

const str = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;

/** One outgoing document per transaction set: a 214 takes all milestones at once. */
function documentsFor(set: TransactionSetId, payload: JsonValue): OutgoingDocument[] {
  if (set === '214') {
    const milestones = Array.isArray(payload) ? payload : [payload];
    return [{ set, value: milestones } as unknown as OutgoingDocument];
  }
  const items = Array.isArray(payload) ? payload : [payload];
  // generateX12 checks each value against its canonical schema before writing it.
  return items.map((value) => ({ set, value }) as unknown as OutgoingDocument);
}

export const executeEdiGenerate: NodeExecutor = async (input, ctx) => {
  const c = ctx.config;
  const set = str(c.transactionSet) ?? '';
  const partner = partnerOf(ctx, c);
  const fromPartner = partner ? partnerEnvelope(partner) : undefined;
  const senderId = str(c.senderId) ?? fromPartner?.senderId;
  const receiverId = str(c.receiverId) ?? fromPartner?.receiverId;
  if (!isTransactionSetId(set) || !senderId || !receiverId) {
    throw new PermanentError(
      'invalid-config',
      'EDI write needs a known transactionSet, and a partner or a senderId and a receiverId.',
    );
  }
  if (!Array.isArray(input.payload) && !isJsonObject(input.payload)) {
    throw new PermanentError(
      'invalid-input',
      `A ${set} is written from an object (or a list of them), not from ${JSON.stringify(input.payload)?.slice(0, 40)}.`,
    );
  }
  const delimiters: Partial<Delimiters> = { ...fromPartner?.delimiters };
  if (isJsonObject(c.delimiters)) {
    for (const key of ['element', 'component', 'segment', 'repetition'] as const) {
      const value = str(c.delimiters[key]);
      if (value !== undefined) delimiters[key] = value;
    }
  }
  const controlNumber = await nextControlNumber(
    ctx,
    c.controlNumbers === 'run-counter' ? 'run-counter' : 'idempotency-key',
  );
  const env: EnvelopeSettings = {
    senderId,
    receiverId,
    senderQualifier: str(c.senderQualifier) ?? fromPartner?.senderQualifier ?? 'ZZ',
    receiverQualifier: str(c.receiverQualifier) ?? fromPartner?.receiverQualifier ?? 'ZZ',
    controlNumber,
    date: ctx.now(),
    usage: c.usage === 'T' ? 'T' : 'P',
    version: str(c.version) ?? fromPartner?.version ?? '00401',
    ackRequested: c.acknowledgmentRequested === true || fromPartner?.ackRequested === true,
    lineBreaks: c.lineBreaks === true,
    delimiters,
  };
  const senderCode = str(c.senderCode) ?? fromPartner?.senderCode;
  const receiverCode = str(c.receiverCode) ?? fromPartner?.receiverCode;
  if (senderCode) env.senderCode = senderCode;
  if (receiverCode) env.receiverCode = receiverCode;
  const documents = documentsFor(set, input.payload);
  const x12 = generateX12(documents, env);
  return emit({ x12, controlNumber, transactionSet: set, count: documents.length });
};
