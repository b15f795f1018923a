import { createHash } from 'node:crypto';
import {
  type Catalog,
  type FlowDocument,
  formatFlow,
  isJsonObject,
  type JsonObject,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import semver from 'semver';
import { type FlowPlan, planFlow } from '../engine/interpreter';
import type { Keys } from './keys';

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

export interface HookTarget {
  flowId: string;
  nodeId: string;
  signatureSecret?: string;
  contentType: 'json' | 'text';
  /** Request-reply: how long the caller waits for the flow's `flow.respond` answer. */
  replyTimeoutMs?: number;
}

/**
 * A deployment refused because of a webhook path: another flow owns it (`hook-path-taken`), or
 * the version would stop requiring the signature the path's flow required
 * (`hook-signature-required`, outside development).
 */
export class HookPathError extends Error {
  override readonly name = 'HookPathError';
  constructor(
    readonly code: 'hook-path-taken' | 'hook-signature-required',
    message: string,
    readonly details: { path: string; owner: string },
  ) {
    super(message);
  }
}

export interface FlowStoreOptions {
  /** How long test deployments are kept (they expire like the runs that use them). */
  testTtlMs: number;
  /** Development: a path's flow may drop its signature secret. */
  development: boolean;
  /**
   * Keep deployed versions, the active version of each flow and the webhook table in process,
   * dropped whenever any process deploys or activates (see `watch`), and read again after
   * `CACHE_TTL_MS` at the latest (an announcement lost while a connection was down).
   */
  cache?: boolean;
}

/**
 * Claims a flow's webhook paths, all or none. A path belongs to the first flow that declares it
 * (the owners hash; for data written before owners were kept, the active route), and a path
 * that was signed stays signed unless ARGV[2] allows otherwise.
 * KEYS: owners, hooks. ARGV: flowId, allowUnsigned, then path, signed ('1'|'0') pairs.
 */
const CLAIM_HOOKS = `
for i = 3, #ARGV, 2 do
  local path = ARGV[i]
  local signed = ARGV[i + 1] == '1'
  local owner, ownerSigned
  local raw = redis.call('HGET', KEYS[1], path)
  if raw then
    local o = cjson.decode(raw)
    owner = o.flowId
    ownerSigned = o.signed == true
  else
    local t = redis.call('HGET', KEYS[2], path)
    if t then
      local o = cjson.decode(t)
      owner = o.flowId
      ownerSigned = type(o.signatureSecret) == 'string'
    end
  end
  if owner and owner ~= ARGV[1] then return {'hook-path-taken', path, owner} end
  if owner and ownerSigned and not signed and ARGV[2] ~= '1' then
    return {'hook-signature-required', path, owner}
  end
end
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], cjson.encode({flowId = ARGV[1], signed = ARGV[i + 1] == '1'}))
end
return {'ok'}
`;

/** The longest a cached read lives, in case a change announcement was lost. */
const CACHE_TTL_MS = 5_000;

function webhookNodes(flow: FlowDocument) {
  return flow.nodes.filter(
    (n) => n.type === 'trigger.webhook' && typeof n.config.path === 'string',
  );
}

/** sha256 of the canonical text, so formatting never changes a version's identity. */
export function contentHash(flow: FlowDocument): string {
  return createHash('sha256').update(formatFlow(flow)).digest('hex');
}

/**
 * Deployed flow versions on Redis (one hash per flow: version -> deployment), the latest
 * non-test version per flow and the webhook paths of those latest versions. Deployed documents
 * never change, so parsed plans are cached in process; with `cache`, so are the deployments,
 * the active versions and the webhook table, until a deploy or an activation anywhere
 * announces a change on the `flowsChanged` channel.
 */
export class FlowStore {
  private readonly plans = new Map<string, FlowPlan>();
  /** What `cache` keeps: a promise of the value read from Redis, and when it was read. */
  private readonly cached = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly catalog: Catalog,
    /** Told whenever a version becomes the one new runs start on (schedules follow it). */
    private readonly onActivated: (flow: FlowDocument) => Promise<void> = async () => {},
    private readonly options: FlowStoreOptions = {
      testTtlMs: 7 * 24 * 3600_000,
      development: true,
    },
  ) {}

  /** Reads through the in-process cache when it is on; a failed read is not kept. */
  private read<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.options.cache) return load();
    const now = Date.now();
    const hit = this.cached.get(key);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.value as Promise<T>;
    const entry = { at: now, value: load() };
    this.cached.set(key, entry);
    entry.value.catch(() => {
      if (this.cached.get(key) === entry) this.cached.delete(key);
    });
    return entry.value as Promise<T>;
  }

  /** Drops what the cache holds: the next read goes to Redis. */
  invalidate(): void {
    this.cached.clear();
  }

  /** Drops this process's cache and tells every other process (after the write, never before). */
  private async changed(): Promise<void> {
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

  /** Claims the flow's webhook paths or throws a `HookPathError` naming the owner. */
  private async claimHooks(flow: FlowDocument): Promise<void> {
    const pairs = webhookNodes(flow).flatMap((n) => [
      n.config.path as string,
      typeof n.config.signatureSecret === 'string' && n.config.signatureSecret !== '' ? '1' : '0',
    ]);
    if (pairs.length === 0) return;
    const result = (await this.redis.eval(
      CLAIM_HOOKS,
      2,
      this.keys.hookOwners,
      this.keys.hooks,
      flow.id,
      this.options.development ? '1' : '0',
      ...pairs,
    )) as string[];
    const [status, path = '', owner = ''] = result;
    if (status === 'hook-path-taken') {
      throw new HookPathError(
        status,
        `The webhook path "${path}" belongs to the flow "${owner}"; "${flow.id}" cannot listen on it. Choose another path.`,
        { path, owner },
      );
    }
    if (status === 'hook-signature-required') {
      throw new HookPathError(
        status,
        `The webhook path "${path}" of "${owner}" requires signed deliveries; a version without signatureSecret is refused outside development.`,
        { path, owner },
      );
    }
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
    await this.claimHooks(flow);
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
    await this.claimHooks(deployment.flow);
    await this.makeActive(deployment.flow);
    return deployment;
  }

  private async makeActive(flow: FlowDocument): Promise<void> {
    const declared = new Set(
      flow.nodes
        .filter((n) => n.type === 'trigger.webhook' && typeof n.config.path === 'string')
        .map((n) => n.config.path as string),
    );
    // A path that the version now active no longer declares stops starting runs of this flow.
    const stale = Object.entries(await this.redis.hgetall(this.keys.hooks))
      .filter(
        ([path, raw]) => !declared.has(path) && (JSON.parse(raw) as HookTarget).flowId === flow.id,
      )
      .map(([path]) => path);
    const m = this.redis.multi();
    m.hset(this.keys.flowLatest, flow.id, flow.version);
    if (stale.length > 0) m.hdel(this.keys.hooks, ...stale);
    for (const node of flow.nodes) {
      if (node.type !== 'trigger.webhook' || typeof node.config.path !== 'string') continue;
      const target: HookTarget = {
        flowId: flow.id,
        nodeId: node.id,
        contentType: node.config.contentType === 'text' ? 'text' : 'json',
        ...(typeof node.config.signatureSecret === 'string'
          ? { signatureSecret: node.config.signatureSecret }
          : {}),
        ...(typeof node.config.replyTimeoutMs === 'number'
          ? { replyTimeoutMs: node.config.replyTimeoutMs }
          : {}),
      };
      m.hset(this.keys.hooks, node.config.path, JSON.stringify(target));
    }
    await m.exec();
    await this.changed();
    await this.onActivated(flow);
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

  async hook(path: string): Promise<HookTarget | undefined> {
    const parse = (raw: string | null | undefined) => {
      const parsed: unknown = raw ? JSON.parse(raw) : undefined;
      return isJsonObject(parsed) ? (parsed as JsonObject as unknown as HookTarget) : undefined;
    };
    if (!this.options.cache) return parse(await this.redis.hget(this.keys.hooks, path));
    const table = await this.read('hooks', async () => {
      const all = await this.redis.hgetall(this.keys.hooks);
      return new Map(Object.entries(all).map(([p, raw]) => [p, parse(raw)]));
    });
    return table.get(path);
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
