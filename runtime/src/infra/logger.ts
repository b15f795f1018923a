import pino, { type DestinationStream, type Logger } from 'pino';
import type { Redactor } from './redaction';

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
    destination,
  );
}

export type { Logger };
