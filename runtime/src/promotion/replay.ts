import { randomUUID } from 'node:crypto';
import {
  type Catalog,
  type FlowDocument,
  type NodeExecutor,
  PermanentError,
} from '@crossdock/nodes';
import type { RunWithSteps } from '../engine/run-types';
import { loadConfig } from '../infra/config';
import { removeMatching } from '../infra/redis-scan';
import { createRuntime } from '../runtime';
import { keyPatterns } from '../store/keys';
import { compareRun, type Difference, type RecordedStep, type TestCase } from './test-case';

export interface CaseResult {
  flowId: string;
  name: string;
  differences: Difference[];
  run: RunWithSteps;
}

export interface ReplayOptions {
  catalog: Catalog;
  executors: Readonly<Record<string, NodeExecutor>>;
  /** Process environment for the private runtime (REDIS_URL, secrets...). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The environment whose connections the flow is checked against (no network is used). */
  envName: string;
  timeoutMs?: number;
}

/**
 * Answers a connector step from the recording of the same node's same message. A call the
 * recording does not have fails the step, so the difference shows.
 */
function replayExecutor(current: () => Map<string, RecordedStep[]>): NodeExecutor {
  const used = new Map<string, number>();
  return async (_input, ctx) => {
    const key = `${ctx.runId}:${ctx.nodeId}`;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const recorded = current().get(ctx.nodeId)?.[n];
    if (!recorded) {
      throw new PermanentError(
        'invalid-input',
        `The recording has no call #${n + 1} of connector "${ctx.nodeId}".`,
      );
    }
    if (recorded.status === 'failed') {
      throw new PermanentError(
        recorded.error?.code ?? 'internal',
        recorded.error?.message ?? 'failed',
      );
    }
    return { emissions: recorded.output ?? [] };
  };
}

/**
 * Replays test cases through the real interpreter, queue and worker on a private Redis prefix,
 * with every node that has side effects answered from the recordings. Cases run one at a time.
 */
export async function replayTestCases(
  cases: readonly { flow: FlowDocument; testCase: TestCase }[],
  options: ReplayOptions,
): Promise<CaseResult[]> {
  if (cases.length === 0) return [];
  const prefix = `{crossdock-test-${randomUUID().slice(0, 8)}}`;
  const config = loadConfig(
    {
      ...options.env,
      CROSSDOCK_PREFIX: prefix,
      // One partition: every key stays under the private prefix that is removed after.
      CROSSDOCK_PARTITIONS: '1',
      CROSSDOCK_ENV: options.envName,
      LOG_LEVEL: options.env.LOG_LEVEL ?? 'silent',
    },
    options.cwd,
  );
  let recordings = new Map<string, RecordedStep[]>();
  const replay = replayExecutor(() => recordings);
  const executors: Record<string, NodeExecutor> = { ...options.executors };
  for (const manifest of options.catalog.list()) {
    if (manifest.sideEffects) executors[manifest.type] = replay;
  }
  const runtime = createRuntime(config, { catalog: options.catalog, executors, env: options.env });
  const results: CaseResult[] = [];
  try {
    runtime.startWorker(1);
    const deployed = new Map<string, string>();
    for (const { flow, testCase } of cases) {
      const version = `${flow.version.split('+')[0]}+replay.${deployed.size}`;
      const key = JSON.stringify(flow);
      if (!deployed.has(key)) {
        deployed.set(key, version);
        await runtime.flows.deploy({ ...flow, version }, 'crossdock test', new Date(), true);
      }
      recordings = new Map();
      for (const r of testCase.recordings) {
        const list = recordings.get(r.nodeId) ?? [];
        list[r.occurrence] = r;
        recordings.set(r.nodeId, list);
      }
      const { runId } = await runtime.service.start({
        flowId: flow.id,
        version: deployed.get(key) ?? version,
        payload: testCase.trigger,
        test: true,
        ...(testCase.triggerNodeId !== undefined ? { triggerNodeId: testCase.triggerNodeId } : {}),
      });
      const run = await waitForEnd(runtime, runId, options.timeoutMs ?? 30_000);
      results.push({
        flowId: flow.id,
        name: testCase.name,
        differences: compareRun(testCase, run, options.catalog),
        run,
      });
    }
    return results;
  } finally {
    await runtime.close();
    await removeMatching(config.redisUrl, keyPatterns(prefix));
  }
}

async function waitForEnd(
  runtime: ReturnType<typeof createRuntime>,
  runId: string,
  timeoutMs: number,
): Promise<RunWithSteps> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await runtime.runs.get(runId);
    if (run && run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`The replay of run ${runId} did not end in time.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
