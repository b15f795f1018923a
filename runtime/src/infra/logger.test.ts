import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat, prettyStream } from './logger';
import { Redactor } from './redaction';

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
