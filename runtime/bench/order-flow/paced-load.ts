/**
 * Load at a steady rate for the bench's paced phases: requests evenly spaced in time, sent
 * whether or not earlier ones were answered (an open loop, as independent partners send), over a
 * pool of keep-alive connections. autocannon's `overallRate` is not that: each connection sends
 * its share of a second back to back as soon as the second starts (its quota resets on a 1 s
 * timer), so "300 runs/s" arrived as bursts at several thousand a second followed by silence, and
 * what the phase measured was how long a burst waits.
 */
import { Pool } from 'undici';

export interface PacedResult {
  /** Answers with a 2xx status. */
  ok: number;
  /** Other answers and failed requests. */
  failed: number;
  /** Time to each answer, ms, sorted. */
  ackMs: number[];
}

export async function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  /** The body of the next request (called once per request, when it is sent). */
  body(): string;
}): Promise<PacedResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const result: PacedResult = { ok: 0, failed: 0, ackMs: [] };
  const inFlight: Promise<void>[] = [];
  const send = () => {
    const started = performance.now();
    inFlight.push(
      pool
        .request({
          method: 'POST',
          path: `${target.pathname}${target.search}`,
          headers: { 'content-type': 'application/json' },
          body: options.body(),
        })
        .then(async (answer) => {
          await answer.body.dump();
          result.ackMs.push(performance.now() - started);
          if (answer.statusCode >= 200 && answer.statusCode < 300) result.ok += 1;
          else result.failed += 1;
        })
        .catch(() => {
          result.failed += 1;
        }),
    );
  };
  const total = Math.round(options.rate * options.seconds);
  const t0 = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * options.rate));
      while (sent < due) {
        send();
        sent += 1;
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  await pool.close();
  result.ackMs.sort((a, b) => a - b);
  return result;
}
