import { describe, expect, it } from 'vitest';
import { reconnecting } from './trigger-adapter';

function recorder() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    log: {
      warn: (_f: object, m: string) => lines.push(['warn', m]),
      info: (_f: object, m: string) => lines.push(['info', m]),
      debug: (_f: object, m: string) => lines.push(['debug', m]),
    },
  };
}

describe('reconnecting', () => {
  it('says an outage once, its retries at debug level, and its end once', async () => {
    const { lines, log } = recorder();
    const controller = new AbortController();
    let attempts = 0;
    await reconnecting(controller.signal, log, async (connected) => {
      attempts += 1;
      if (attempts <= 3) throw new Error('connect ECONNREFUSED 127.0.0.1:5672');
      connected();
      controller.abort();
    });
    expect(attempts).toBe(4);
    expect(lines).toEqual([
      ['warn', 'broker trigger lost its connection; reconnecting (said once)'],
      ['debug', 'broker trigger still not connected'],
      ['debug', 'broker trigger still not connected'],
      ['info', 'broker trigger reconnected'],
    ]);
  });

  it('says nothing while the connection holds, and a second outage again', async () => {
    const { lines, log } = recorder();
    const controller = new AbortController();
    const script = ['up', 'lost', 'up', 'lost', 'stop'];
    await reconnecting(controller.signal, log, async (connected) => {
      const step = script.shift();
      if (step === 'up') connected();
      else if (step === 'lost') throw new Error('connection closed');
      else controller.abort();
    });
    expect(lines.map(([level]) => level)).toEqual(['warn', 'info', 'warn']);
  });
});
