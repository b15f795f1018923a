import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Redactor } from './redaction';

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
      redact: { paths, censor: '[redacted]' },
      hooks: { streamWrite: (line) => redactor.scrubText(line) },
    },
    destination ?? (logFormat() === 'pretty' ? prettyStream() : undefined),
  );
}

export type { Logger };
