import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Redactor } from './redaction';

/** Error codes of the network and of Redis clients: an outage, not a bug worth a stack trace. */
const INFRA_CODE = /^(E[A-Z]+|NR_CLOSED|UND_ERR_[A-Z_]+)$/;
const INFRA_NAMES = new Set(['MaxRetriesPerRequestError', 'ReplyError', 'AbortError']);

/**
 * How an error appears in a log line: type, message and code; the stack only for what may be a
 * bug. Connection errors (ioredis reconnecting, a refused socket) come without their stack, so
 * an outage is one readable line per event, not a screen of library frames.
 */
export function logError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  const line: Record<string, unknown> = { type: value.name, message: value.message };
  if (code !== undefined) line.code = code;
  const infra =
    (typeof code === 'string' && INFRA_CODE.test(code)) ||
    INFRA_NAMES.has(value.name) ||
    /Connection is closed|Stream isn't writeable|connect ECONNREFUSED/.test(value.message);
  if (!infra && value.stack) line.stack = value.stack;
  return line;
}

export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines for machines (not a terminal, or LOG_FORMAT=json); one readable line per event for a
 * person at a terminal (or LOG_FORMAT=pretty).
 */
export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = process.stdout.isTTY === true,
): LogFormat {
  const asked = env.LOG_FORMAT?.toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return isTTY ? 'pretty' : 'json';
}

/** The readable form: time, level, message, then the fields (no pid/hostname/service noise). */
export function prettyStream(destination?: NodeJS.WritableStream): DestinationStream {
  return pretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
    sync: true,
    ...(destination ? { destination } : {}),
  });
}

/**
 * JSON logs (pino). Secret values are scrubbed from every serialized line, and fields named in
 * the redaction list are censored at any depth up to three levels.
 */
export function createLogger(
  level: string,
  redactor: Redactor,
  destination?: DestinationStream,
): Logger {
  const paths = redactor.fieldNames.flatMap((f) => {
    const k = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    return [k, `*${dot}${k}`, `*.*${dot}${k}`];
  });
  return pino(
    {
      level,
      base: { service: 'crossdock' },
      serializers: { err: logError },
      redact: { paths, censor: '[redacted]' },
      hooks: { streamWrite: (line) => redactor.scrubText(line) },
    },
    destination ?? (logFormat() === 'pretty' ? prettyStream() : undefined),
  );
}

export type { Logger };
