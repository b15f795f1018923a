import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logError, logFormat, prettyStream } from './logger';
import { Redactor } from './redaction';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('log lines for errors', () => {
  it('give a connection error as one line without its stack', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    expect(logError(refused)).toEqual({
      type: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:6379',
      code: 'ECONNREFUSED',
    });
  });

  it('keep the stack of what may be a bug, and the run and correlation ids given', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', new Redactor([]), stream);
    log.error(
      { runId: 'run_1', correlationId: 'c-1', err: new TypeError('x is undefined') },
      'boom',
    );
    expect(lines[0]).toMatchObject({
      runId: 'run_1',
      correlationId: 'c-1',
      err: { type: 'TypeError', message: 'x is undefined' },
    });
    const err = (lines[0]?.err ?? {}) as { stack?: string };
    expect(String(err.stack)).toContain('logger.test.ts');
  });
});

describe('log format', () => {
  it('is readable at a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'PRETTY' }, false)).toBe('pretty');
    expect(logFormat({ LOG_FORMAT: 'yaml' }, false)).toBe('json');
  });

  it('prints one readable line per event, without pid, host or service, secrets still redacted', async () => {
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c.toString()));
    const log = createLogger('info', new Redactor(['password']), prettyStream(sink));
    log.info({ runId: 'run_1', password: 'hunter2' }, 'run started');
    await new Promise((r) => setImmediate(r));
    const text = chunks.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: run started /);
    expect(text).toContain('"runId":"run_1"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/pid|hostname|service/);
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
