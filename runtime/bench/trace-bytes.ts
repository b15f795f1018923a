/**
 * `pnpm --filter @crossdock/runtime bench:trace`: Redis bytes per run of the bench's six-node
 * order flow, as stored after the run and after trace compaction. Prints the run's own keys
 * (hash + step list) and everything under the prefix divided by the runs (indexes included).
 * Knobs: TRACE_RUNS (default 500), TRACE_LINES (order lines per payload, default 5).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/infra/config';
import { createRuntime } from '../src/runtime';
import { compactTraces } from '../src/store/trace-compaction';
import { benchDownstream, benchFlow, benchNodes } from './bench-nodes';

const RUNS = Number(process.env.TRACE_RUNS ?? 500);
const LINES = Number(process.env.TRACE_LINES ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `{crossdock-trace-${randomUUID().slice(0, 8)}}`;

async function keyBytes(redis: Redis): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 2000);
    cursor = next;
    const m = redis.multi();
    for (const k of keys) m.memory('USAGE', k, 'SAMPLES', 0);
    for (const [, v] of (await m.exec()) ?? []) total += Number(v ?? 0);
  } while (cursor !== '0');
  return total;
}

async function main(): Promise<void> {
  const { server, flowsDir } = await benchDownstream();
  const env = {
    ...process.env,
    REDIS_URL,
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flowsDir,
    LOG_LEVEL: 'warn',
    // Compaction runs below, on demand, so both sizes are measured.
    CROSSDOCK_TRACE_COMPACT_AFTER_MINUTES: '0',
  };
  const redis = new Redis(REDIS_URL);
  const runtime = createRuntime(loadConfig(env), { ...benchNodes(), env });
  try {
    const flow = benchFlow(true);
    await runtime.flows.deploy(flow, 'bench', new Date());
    const payload = (i: number) => ({
      order: {
        number: `SO-${i}`,
        qty: 1 + (i % 5),
        site: 'dc-east',
        customer: { id: `C-${i % 97}`, name: 'Northwind Traders', country: 'US' },
        lines: Array.from({ length: LINES }, (_, l) => ({
          line: l + 1,
          sku: `SKU-${1000 + l}`,
          gtin: '00012345678905',
          qty: 1 + l,
          uom: 'EA',
        })),
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 100) {
      const started = await Promise.all(
        Array.from({ length: Math.min(100, RUNS - i) }, (_, j) =>
          runtime.service.start({ flowId: flow.id, payload: payload(i + j) }),
        ),
      );
      ids.push(...started.map((s) => s.runId));
    }
    runtime.startWorker(20);
    const succeeded = runtime.keys.partition(0).byStatus('succeeded');
    while ((await redis.zcard(succeeded)) < RUNS) await new Promise((r) => setTimeout(r, 100));
    const flowBytes = await keyBytes(redis);
    const sample = ids.slice(0, 100);
    const runBytes = async () => {
      let total = 0;
      for (const id of sample) {
        total += Number((await redis.memory('USAGE', runtime.keys.run(id), 'SAMPLES', 0)) ?? 0);
        total += Number((await redis.memory('USAGE', runtime.keys.steps(id), 'SAMPLES', 0)) ?? 0);
      }
      return total / sample.length;
    };
    const before = await runBytes();
    let compacted = 0;
    for (;;) {
      const n = await compactTraces(redis, runtime.keys, Date.now() + 1, 0, 500);
      compacted += n;
      if (n === 0) break;
    }
    const after = await runBytes();
    const flowAfter = await keyBytes(redis);
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    console.log(
      `trace bytes per run (6-node order flow, ${LINES} order lines, ${RUNS} runs, ${compacted} compacted):`,
    );
    console.log(`  run hash + steps: ${kb(before)} as run, ${kb(after)} compacted`);
    console.log(
      `  everything under the prefix / runs: ${kb(flowBytes / RUNS)} as run, ${kb(flowAfter / RUNS)} compacted`,
    );
  } finally {
    await runtime.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    server.close();
    rmSync(flowsDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
