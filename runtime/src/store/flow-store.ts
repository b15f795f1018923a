import { createHash } from 'node:crypto';
import { type Catalog, type FlowDocument, formatFlow } from '@crossdock/nodes';
import type { ChainableCommander, Redis } from 'ioredis';
import semver from 'semver';
import { type FlowPlan, planFlow } from '../engine/interpreter';
import type { Keys } from './keys';
import type { ReadCache } from './read-cache';

/** A deployed flow version: immutable once written. */
export interface Deployment {
  flow: FlowDocument;
  hash: string;
  deployedAt: string;
  deployedBy: string;
  test?: boolean;
  /** The environment the version was promoted from, when it arrived by promotion. */
  from?: string;
  /** The git commit the flow file was at, when known. */
  commit?: string;
  promotionId?: string;
}

/** Where a deployment came from, recorded with it. */
export type DeploymentOrigin = Pick<Deployment, 'from' | 'commit' | 'promotionId'>;

export type DeployResult =
  | { status: 'created' | 'unchanged'; deployment: Deployment }
  | { status: 'conflict'; existing: Deployment };

export interface FlowSummary {
  id: string;
  name: string;
  latestVersion: string | null;
  versions: number;
}

export interface VersionSummary {
  version: string;
  name: string;
  hash: string;
  deployedAt: string;
  deployedBy: string;
  test?: boolean;
  from?: string;
  commit?: string;
  /** The version new runs start on (the latest, or a rollback's target). */
  active?: boolean;
}

/**
 * What a version's triggers start, applied by the activation service: the flow store calls it
 * when a version is written or becomes active, and knows nothing of node types.
 */
export interface FlowActivation {
  /** Before a version is written or made active: throws to refuse it (a taken webhook path). */
  claim(flow: FlowDocument): Promise<void>;
  /** Adds the version's routing to the transaction that makes it active. */
  stage(flow: FlowDocument, tx: ChainableCommander): Promise<void>;
  /** After the version is active and announced (schedulers, pollers, consumers follow). */
  applied(flow: FlowDocument): Promise<void>;
}

export interface FlowStoreOptions {
  /** How long test deployments are kept (they expire like the runs that use them). */
  testTtlMs: number;
}

/** sha256 of the canonical text, so formatting never changes a version's identity. */
export function contentHash(flow: FlowDocument): string {
  return createHash('sha256').update(formatFlow(flow)).digest('hex');
}

/**
 * Deployed flow versions on Redis (one hash per flow: version -> deployment) and the latest
 * non-test version per flow; what a version's triggers start is the activation service's.
 * Deployed documents never change, so parsed plans are cached in process; with the read cache
 * on, so are the deployments and the active versions (and the activation tables, which share
 * the cache), until a deploy or an activation anywhere announces a change on the
 * `flowsChanged` channel.
 */
export class FlowStore {
  private readonly plans = new Map<string, FlowPlan>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly catalog: Catalog,
    private readonly cache: ReadCache,
    /** Applies what a version's triggers declare when it becomes active. */
    private readonly activation: FlowActivation,
    private readonly options: FlowStoreOptions = { testTtlMs: 7 * 24 * 3600_000 },
  ) {}

  private read<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.read(key, load);
  }

  /** Drops what the cache holds: the next read goes to Redis. */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * Drops this process's cache and tells every other process (after the write, never before).
   * Other stores whose reads share the cache (running shadows) announce their changes here too.
   */
  async changed(): Promise<void> {
    this.invalidate();
    await this.redis.publish(this.keys.flowsChanged, '1');
  }

  /**
   * Keeps the cache true across processes: subscribes `subscriber` (a connection of its own)
   * to the change channel, and drops the cache on every announcement and whenever either
   * connection drops or comes back (announcements sent meanwhile are lost, and Redis may have
   * come back empty).
   */
  async watch(subscriber: Redis): Promise<void> {
    subscriber.on('message', () => this.invalidate());
    subscriber.on('ready', () => this.invalidate());
    // A dropped connection may be a Redis restarted empty: never answer from before it.
    this.redis.on('close', () => this.invalidate());
    this.redis.on('ready', () => this.invalidate());
    await subscriber.subscribe(this.keys.flowsChanged);
    this.invalidate();
  }

  /** Deploys a validated document; the same body again is a no-op, a different one a conflict. */
  async deploy(
    flow: FlowDocument,
    by: string,
    now: Date,
    test = false,
    origin: DeploymentOrigin = {},
  ): Promise<DeployResult> {
    const k = this.keys;
    if (test) return this.deployTest(flow, by, now);
    const deployment: Deployment = {
      flow,
      hash: contentHash(flow),
      deployedAt: now.toISOString(),
      deployedBy: by,
      ...origin,
    };
    // A version already there claims nothing (a refused variant must not change who owns what).
    const before = await this.get(flow.id, flow.version);
    if (before) {
      return before.hash === deployment.hash
        ? { status: 'unchanged', deployment: before }
        : { status: 'conflict', existing: before };
    }
    await this.activation.claim(flow);
    const created = await this.redis.hsetnx(
      k.flowVersions(flow.id),
      flow.version,
      JSON.stringify(deployment),
    );
    if (created === 0) {
      const existing = await this.get(flow.id, flow.version);
      if (!existing) throw new Error(`Version ${flow.version} of ${flow.id} vanished.`);
      return existing.hash === deployment.hash
        ? { status: 'unchanged', deployment: existing }
        : { status: 'conflict', existing };
    }
    await this.redis.sadd(k.flowIds, flow.id);
    // A version that becomes active announces itself; an older one must be announced here.
    if (!(await this.promoteLatest(flow))) await this.changed();
    return { status: 'created', deployment };
  }

  /**
   * A test deployment lives in its own key that expires (run retention), so test runs, each a
   * new content hash, do not pile up versions forever. It never becomes active.
   */
  private async deployTest(flow: FlowDocument, by: string, now: Date): Promise<DeployResult> {
    const deployment: Deployment = {
      flow,
      hash: contentHash(flow),
      deployedAt: now.toISOString(),
      deployedBy: by,
      test: true,
    };
    const key = this.keys.testVersion(flow.id, flow.version);
    const created = await this.redis.set(
      key,
      JSON.stringify(deployment),
      'PX',
      this.options.testTtlMs,
      'NX',
    );
    if (created === 'OK') return { status: 'created', deployment };
    const existing = await this.get(flow.id, flow.version);
    if (!existing) throw new Error(`Version ${flow.version} of ${flow.id} vanished.`);
    if (existing.hash !== deployment.hash) return { status: 'conflict', existing };
    await this.redis.pexpire(key, this.options.testTtlMs);
    return { status: 'unchanged', deployment: existing };
  }

  /** Makes the version active when it is newer than the active one; true when it did. */
  private async promoteLatest(flow: FlowDocument): Promise<boolean> {
    const current = await this.redis.hget(this.keys.flowLatest, flow.id);
    if (current && semver.valid(current) && semver.gte(current, flow.version)) return false;
    await this.makeActive(flow);
    return true;
  }

  /**
   * Makes a deployed version the one new runs start on (a rollback), whatever its number.
   * Runs already started keep the version they pinned.
   */
  async activate(flowId: string, version: string): Promise<Deployment | undefined> {
    const deployment = await this.get(flowId, version);
    if (!deployment || deployment.test) return undefined;
    await this.activation.claim(deployment.flow);
    await this.makeActive(deployment.flow);
    return deployment;
  }

  private async makeActive(flow: FlowDocument): Promise<void> {
    const m = this.redis.multi();
    m.hset(this.keys.flowLatest, flow.id, flow.version);
    // The version's routes change in the same transaction: no moment with one but not the other.
    await this.activation.stage(flow, m);
    await m.exec();
    await this.changed();
    await this.activation.applied(flow);
  }

  async get(flowId: string, version: string): Promise<Deployment | undefined> {
    // Test deployments expire, so only the immutable versions are kept in process.
    const deployed = await this.read(`version\u0000${flowId}\u0000${version}`, async () => {
      const raw = await this.redis.hget(this.keys.flowVersions(flowId), version);
      return raw ? (JSON.parse(raw) as Deployment) : undefined;
    });
    if (deployed) return deployed;
    const raw = await this.redis.get(this.keys.testVersion(flowId, version));
    return raw ? (JSON.parse(raw) as Deployment) : undefined;
  }

  async latest(flowId: string): Promise<Deployment | undefined> {
    const active = await this.read('active', async () => {
      return new Map(Object.entries(await this.redis.hgetall(this.keys.flowLatest)));
    });
    const version = active.get(flowId);
    return version ? this.get(flowId, version) : undefined;
  }

  async versions(flowId: string): Promise<VersionSummary[]> {
    const all = await this.redis.hgetall(this.keys.flowVersions(flowId));
    const active = await this.redis.hget(this.keys.flowLatest, flowId);
    return Object.entries(all)
      .map(([version, raw]) => {
        const d = JSON.parse(raw) as Deployment;
        return {
          version,
          name: d.flow.name,
          hash: d.hash,
          deployedAt: d.deployedAt,
          deployedBy: d.deployedBy,
          ...(d.test ? { test: true } : {}),
          ...(d.from !== undefined ? { from: d.from } : {}),
          ...(d.commit !== undefined ? { commit: d.commit } : {}),
          ...(version === active ? { active: true } : {}),
        };
      })
      .sort((a, b) =>
        semver.valid(a.version) && semver.valid(b.version)
          ? semver.rcompare(a.version, b.version)
          : 0,
      );
  }

  async list(): Promise<FlowSummary[]> {
    const ids = (await this.redis.smembers(this.keys.flowIds)).sort();
    const latest = await this.redis.hgetall(this.keys.flowLatest);
    const out: FlowSummary[] = [];
    for (const id of ids) {
      const count = await this.redis.hlen(this.keys.flowVersions(id));
      const version = latest[id] ?? null;
      const d = version ? await this.get(id, version) : undefined;
      out.push({ id, name: d?.flow.name ?? id, latestVersion: version, versions: count });
    }
    return out;
  }

  /** The interpreter's plan of a deployed version, cached (deployments are immutable). */
  async plan(flowId: string, version: string): Promise<FlowPlan | undefined> {
    const key = `${flowId}@${version}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const deployment = await this.get(flowId, version);
    if (!deployment) return undefined;
    const plan = planFlow(deployment.flow, this.catalog);
    this.plans.set(key, plan);
    return plan;
  }
}
