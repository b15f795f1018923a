import { type ControlNumberSource, nextControlNumber } from '../../../../edi/control-number';
import { formatProblem, parseX12 } from '../../../../edi/parse';
import { partnerOf, partnerParseOptions } from '../../../../edi/partners';
import { generateAck } from '../../../../edi/write';
import { PermanentError } from '../../../../sdk/errors';
import type { Emission, NodeExecutor } from '../../../../sdk/executor-types';
import { isJsonObject, type JsonValue } from '../../../../sdk/json';

interface EdiParseConfig {
  partner?: string;
  resendWindowHours: number;
  field?: string;
  emit: 'each' | 'batch';
  onRejected: 'fail' | 'acknowledge';
  acknowledge: boolean;
  ackControlNumbers: ControlNumberSource;
}

function readConfig(config: Record<string, unknown>): EdiParseConfig {
  return {
    ...(typeof config.partner === 'string' ? { partner: config.partner } : {}),
    resendWindowHours: typeof config.resendWindowHours === 'number' ? config.resendWindowHours : 24,
    ...(typeof config.field === 'string' ? { field: config.field } : {}),
    emit: config.emit === 'batch' ? 'batch' : 'each',
    onRejected: config.onRejected === 'acknowledge' ? 'acknowledge' : 'fail',
    acknowledge: config.acknowledge !== false,
    ackControlNumbers:
      config.ackControlNumbers === 'run-counter' ? 'run-counter' : 'idempotency-key',
  };
}

function textOf(payload: JsonValue, field: string | undefined): string {
  if (typeof payload === 'string') return payload;
  if (field !== undefined && isJsonObject(payload) && Object.hasOwn(payload, field)) {
    const value = payload[field];
    if (typeof value === 'string') return value;
  }
  throw new PermanentError(
    'invalid-input',
    field === undefined
      ? 'The message must be X12 text (a string); set "field" to read it from an object.'
      : `The message has no text field "${field}" with the X12 interchange.`,
  );
}

const toJson = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

/**
 * An interchange control number (ISA13) seen again from the same sender within the window is
 * a resend: the partner's system retried. It is refused, so nothing is processed twice. The
 * record lives in the runtime's shared cache (Redis), so every worker sees it.
 */
async function checkResend(
  ctx: Parameters<NodeExecutor>[1],
  result: ReturnType<typeof parseX12>,
  windowHours: number,
): Promise<void> {
  if (windowHours <= 0) return;
  for (const { interchange } of result.interchanges) {
    const h = interchange.header;
    const key = `edi:isa13:${h.senderQualifier}:${h.senderId}:${h.controlNumber}`;
    // One atomic claim: two workers given the same interchange at once cannot both pass.
    const seen = await ctx.cache.claim(key, ctx.runId, windowHours * 3_600_000);
    // The same run again (a retry of this step, a replay) is not a resend.
    if (seen !== undefined && seen !== ctx.runId) {
      throw new PermanentError(
        'invalid-input',
        `Interchange ${h.controlNumber} from ${h.senderQualifier}/${h.senderId} is a resend: it was received already (run ${typeof seen === 'string' ? seen : 'earlier'}) within ${windowHours} h; it is not processed twice.`,
        { details: { resendOf: seen ?? null, controlNumber: h.controlNumber } },
      );
    }
  }
}

export const executeEdiParse: NodeExecutor = async (input, ctx) => {
  const config = readConfig(ctx.config);
  const partner = partnerOf(ctx, ctx.config);
  const result = parseX12(
    textOf(input.payload, config.field),
    partner ? partnerParseOptions(partner) : {},
  );
  if (partner) await checkResend(ctx, result, config.resendWindowHours);
  const errors = result.problems.filter((p) => p.severity === 'error');
  const acknowledge =
    config.acknowledge && (partner?.acknowledgments?.send997 ?? true) && result.interchange;
  const ack = acknowledge
    ? generateAck(result, {
        controlNumber: await nextControlNumber(ctx, config.ackControlNumbers),
        date: ctx.now(),
        ta1: partner?.acknowledgments?.sendTa1 === true,
      })
    : undefined;
  if (!result.interchange || (errors.length > 0 && config.onRejected === 'fail')) {
    const first = errors[0];
    throw new PermanentError(
      'invalid-input',
      `The X12 interchange has ${errors.length} problem(s)${first ? `; first: ${first.message}` : ''}`,
      {
        details: {
          problems: toJson(result.problems),
          ...(ack ? { ack } : {}),
        },
      },
    );
  }
  for (const p of result.problems) ctx.log.warn(formatProblem(p), { segment: p.segment });

  const emissions: Emission[] = [];
  if (config.emit === 'batch') {
    const h = result.interchange.header;
    emissions.push({
      port: 'out',
      payload: toJson({
        interchange: {
          sender: { qualifier: h.senderQualifier, id: h.senderId },
          receiver: { qualifier: h.receiverQualifier, id: h.receiverId },
          controlNumber: h.controlNumber,
          usage: h.usage,
        },
        documents: result.documents,
        problems: result.problems,
      }),
    });
  } else {
    for (const doc of result.documents) {
      const values: unknown[] = Array.isArray(doc.value) ? doc.value : [doc.value];
      for (const value of values) emissions.push({ port: 'out', payload: toJson(value) });
    }
  }
  if (ack) {
    emissions.push({
      port: 'ack',
      payload: toJson({ x12: ack, acknowledgments: result.acknowledgments }),
    });
  }
  return { emissions };
};
