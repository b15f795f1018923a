import { createHash, randomUUID } from 'node:crypto';
import {
  activationsOf,
  type Catalog,
  type Environment,
  type FlowDocument,
  type JsonValue,
  type TransportKind,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import type { RunService } from '../../service/run-service';
import type { FlowStore } from '../../store/flow-store';
import type { Keys } from '../../store/keys';
import type { TransportPool } from '../pool';
import { triggerAdapters } from './registry';
import { type IntakeOutcome, pause } from './trigger-adapter';

export interface BrokerTriggersDeps {
  redis: Redis;
  keys: Keys;
  flows: FlowStore;
  /** Which nodes are broker triggers: their manifests declare a `consumer` activation. */
  catalog: Catalog;
  service: RunService;
  pool: TransportPool;
  environment: Environment;
  log: Logger;
  /** Runs allowed to wait to start; above it the consumers pause (back-pressure). */
  maxQueueDepth: number;
  /** How often the active versions are read again (another process may activate one). */
  followMs: number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** A broker trigger of an active flow version, as the consumer set is keyed. */
interface Wanted {
  key: string;
  flowId: string;
  version: string;
  nodeId: string;
  type: string;
  transport: TransportKind;
  config: Record<string, JsonValue>;
}

/** The broker trigger nodes of a flow version (their manifests' `consumer` activations). */
export function brokerTriggersOf(flow: FlowDocument, version: string, catalog: Catalog): Wanted[] {
  return activationsOf(flow, catalog)
    .flatMap((a) => (a.kind === 'consumer' ? [a] : []))
    .map((n) => {
      const digest = createHash('sha256')
        .update(JSON.stringify([n.type, n.config]))
        .digest('hex')
        .slice(0, 16);
      return {
        key: `${flow.id}/${n.nodeId}/${digest}`,
        flowId: flow.id,
        version,
        nodeId: n.nodeId,
        type: n.type,
        transport: n.transport,
        config: n.config,
      };
    });
}

/**
 * The broker consumers of one process, following the active versions like webhooks and
 * schedules: every `followMs` (and at once when this process activates a version) the set of
 * broker triggers of the active versions is read, new ones start, removed or changed ones stop.
 */
export class BrokerTriggers {
  private readonly running = new Map<string, Running>();
  private readonly deployments = new Map<string, FlowDocument>();
  private timer: NodeJS.Timeout | undefined;
  private following: Promise<void> = Promise.resolve();
  private stopped = false;
  /** This process's token in the locks it holds (MQTT sessions). */
  private readonly token = randomUUID();

  constructor(private readonly deps: BrokerTriggersDeps) {}

  start(): void {
    this.follow();
    this.timer ??= setInterval(() => this.follow(), this.deps.followMs);
  }

  /** Reads the active versions again (queued behind a read still under way). */
  follow(): Promise<void> {
    this.following = this.following.then(() =>
      this.reconcile().catch((error: unknown) => {
        this.deps.log.warn({ err: error }, 'broker triggers could not read the active versions');
      }),
    );
    return this.following;
  }

  /** The keys of the consumers running now (tests, health). */
  active(): string[] {
    return [...this.running.keys()].sort();
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const latest = await this.deps.redis.hgetall(this.deps.keys.flowLatest);
    const wanted = new Map<string, Wanted>();
    for (const [flowId, version] of Object.entries(latest)) {
      const cacheKey = `${flowId}@${version}`;
      let flow = this.deployments.get(cacheKey);
      if (!flow) {
        flow = (await this.deps.flows.get(flowId, version))?.flow;
        if (!flow) continue;
        this.deployments.set(cacheKey, flow);
      }
      for (const w of brokerTriggersOf(flow, version, this.deps.catalog)) wanted.set(w.key, w);
    }
    for (const [key, run] of this.running) {
      if (wanted.has(key)) continue;
      run.controller.abort();
      this.running.delete(key);
      await run.done;
    }
    for (const [key, w] of wanted) {
      if (this.running.has(key) || this.stopped) continue;
      this.running.set(key, this.launch(w));
    }
  }

  private launch(w: Wanted): Running {
    const controller = new AbortController();
    const adapter = triggerAdapters[w.transport];
    const log = this.deps.log.child({ flowId: w.flowId, nodeId: w.nodeId, trigger: w.type });
    const name = String(w.config.connection);
    const done = (async () => {
      if (!adapter) return;
      const connection = this.deps.pool.connection(name, adapter.kind as TransportKind);
      log.info({ version: w.version }, 'broker trigger consuming');
      await adapter.run({
        flowId: w.flowId,
        nodeId: w.nodeId,
        config: w.config,
        target: () => this.deps.pool.target(connection),
        intake: (body, messageId) => this.intake(w, body, messageId, controller.signal, log),
        signal: controller.signal,
        lock: (key, ttlMs) => this.lock(key, ttlMs),
        unlock: (key) => this.unlock(key),
      });
    })().catch((error: unknown) => {
      // A permanent problem (no such connection, a refused address): said once, not retried.
      log.error({ err: error }, 'broker trigger stopped');
    });
    return { controller, done };
  }

  /**
   * Starts the run of one message: resolves `accepted` once it is durably recorded (or was a
   * duplicate), `rejected` for a body that can never run. A full queue or an unreachable Redis
   * is waited out, growing the pause, so the consumer takes nothing more meanwhile; stopping
   * rejects, leaving the message unacknowledged.
   */
  private async intake(
    w: Wanted,
    body: Uint8Array,
    messageId: string | undefined,
    signal: AbortSignal,
    log: Logger,
  ): Promise<IntakeOutcome> {
    const text = Buffer.from(body).toString('utf8');
    let payload: JsonValue;
    if (w.config.contentType === 'text') payload = text;
    else {
      try {
        payload = JSON.parse(text) as JsonValue;
      } catch {
        log.error({ messageId, bytes: body.byteLength }, 'broker message is not JSON; rejected');
        return 'rejected';
      }
    }
    let delay = 100;
    let warned = false;
    for (;;) {
      if (signal.aborted || this.stopped) throw new Error('the trigger is stopping');
      try {
        const started = await this.deps.service.start({
          flowId: w.flowId,
          version: w.version,
          triggerNodeId: w.nodeId,
          payload,
          maxDepth: this.deps.maxQueueDepth,
          ...(messageId ? { correlationId: messageId } : {}),
        });
        if (started.duplicate) log.info({ runId: started.runId, messageId }, 'duplicate delivery');
        return 'accepted';
      } catch (error) {
        const refused = error instanceof Error && error.name === 'IntakeRefused';
        if (refused && (error as { reason?: string }).reason !== 'queue-full') {
          log.error({ err: error }, 'broker message refused by the intake; rejected');
          return 'rejected';
        }
        if (!warned) {
          warned = true;
          log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            refused
              ? 'run queue full: the broker trigger pauses until it drains'
              : 'run intake unavailable: the broker trigger pauses',
          );
        }
        await pause(delay, signal);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private async lock(key: string, ttlMs: number): Promise<boolean> {
    const full = this.deps.keys.triggerLock(key);
    const ok = await this.deps.redis.eval(
      "local v = redis.call('get', KEYS[1]) if v == false or v == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0",
      1,
      full,
      this.token,
      String(ttlMs),
    );
    return ok === 1;
  }

  private async unlock(key: string): Promise<void> {
    await this.deps.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
      1,
      this.deps.keys.triggerLock(key),
      this.token,
    );
  }

  /** Stops every consumer: unacknowledged messages go back to their brokers. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.following;
    const all = [...this.running.values()];
    this.running.clear();
    for (const run of all) run.controller.abort();
    // The 3 s bound ends with the consumers: a timer left running kept a process that had
    // closed everything alive for 3 s more (every CLI command with a runtime, every shutdown).
    const bound = new AbortController();
    await Promise.race([
      Promise.all(all.map((r) => r.done)).finally(() => bound.abort()),
      pause(3_000, bound.signal),
    ]);
  }
}
