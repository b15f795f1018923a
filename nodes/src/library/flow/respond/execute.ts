import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor, type WebhookReply } from '../../../sdk/executor-types';
import { isJsonObject } from '../../../sdk/json';
import { RESERVED_REPLY_HEADERS } from './manifest';

function invalid(message: string): PermanentError {
  return new PermanentError('invalid-input', message);
}

export const executeRespond: NodeExecutor = async (input, ctx) => {
  const options = { now: ctx.now() };
  const status =
    ctx.config.status === undefined ? 200 : ctx.evaluate(ctx.config.status, input.payload, options);
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
    throw invalid(
      `The response status must be an integer from 200 to 599, got ${JSON.stringify(status)}.`,
    );
  const headers: Record<string, string> = {};
  const configured = isJsonObject(ctx.config.headers) ? ctx.config.headers : {};
  for (const [name, expression] of Object.entries(configured)) {
    const lower = name.toLowerCase();
    if (
      !/^[a-z0-9-]+$/.test(lower) ||
      (RESERVED_REPLY_HEADERS as readonly string[]).includes(lower)
    )
      throw new PermanentError('invalid-config', `The response header "${name}" cannot be set.`);
    const value = ctx.evaluate(expression ?? null, input.payload, options);
    if (value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A CR or LF would split the header: refused rather than silently cut.
    if (/[\r\n\0]/.test(text)) throw invalid(`The response header "${name}" holds a line break.`);
    headers[lower] = text;
  }
  const body =
    ctx.config.body === undefined
      ? input.payload
      : ctx.evaluate(ctx.config.body, input.payload, options);
  const reply: WebhookReply = { status, headers, body };
  if (ctx.respond) {
    const answered = await ctx.respond(reply);
    ctx.log.info(
      answered ? 'answered the webhook caller' : 'the webhook caller was answered before',
      {
        status,
      },
    );
  } else ctx.log.debug('no webhook caller waits for this run; nothing answered', { status });
  return emit(input.payload);
};
