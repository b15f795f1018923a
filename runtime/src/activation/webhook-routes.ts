import { type Activation, isJsonObject, type JsonObject } from '@crossdock/nodes';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Keys } from '../store/keys';
import type { ReadCache } from '../store/read-cache';

type WebhookActivation = Extract<Activation, { kind: 'webhook' }>;

/** Where a webhook path leads: the flow and trigger node its deliveries start. */
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

/**
 * The webhook table: which path starts which flow's trigger (the active versions' paths), and
 * which flow owns each path for good (a path is never handed to another flow).
 */
export class WebhookRoutes {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly cache: ReadCache,
    /** Development: a path's flow may drop its signature secret. */
    private readonly development: boolean,
  ) {}

  /** Claims the paths of a version about to be written or activated, or throws `HookPathError`. */
  async claim(flowId: string, hooks: readonly WebhookActivation[]): Promise<void> {
    const pairs = hooks.flatMap((h) => [
      h.path,
      h.signatureSecret !== undefined && h.signatureSecret !== '' ? '1' : '0',
    ]);
    if (pairs.length === 0) return;
    const result = (await this.redis.eval(
      CLAIM_HOOKS,
      2,
      this.keys.hookOwners,
      this.keys.hooks,
      flowId,
      this.development ? '1' : '0',
      ...pairs,
    )) as string[];
    const [status, path = '', owner = ''] = result;
    if (status === 'hook-path-taken') {
      throw new HookPathError(
        status,
        `The webhook path "${path}" belongs to the flow "${owner}"; "${flowId}" cannot listen on it. Choose another path.`,
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

  /**
   * Adds to `tx` (the transaction that makes the version active) the routes of its paths, and
   * the removal of this flow's paths that the version no longer declares.
   */
  async stage(
    tx: ChainableCommander,
    flowId: string,
    hooks: readonly WebhookActivation[],
  ): Promise<void> {
    const declared = new Set(hooks.map((h) => h.path));
    const stale = Object.entries(await this.redis.hgetall(this.keys.hooks))
      .filter(
        ([path, raw]) => !declared.has(path) && (JSON.parse(raw) as HookTarget).flowId === flowId,
      )
      .map(([path]) => path);
    if (stale.length > 0) tx.hdel(this.keys.hooks, ...stale);
    for (const h of hooks) {
      const target: HookTarget = {
        flowId,
        nodeId: h.nodeId,
        contentType: h.contentType,
        ...(h.signatureSecret !== undefined ? { signatureSecret: h.signatureSecret } : {}),
        ...(h.replyTimeoutMs !== undefined ? { replyTimeoutMs: h.replyTimeoutMs } : {}),
      };
      tx.hset(this.keys.hooks, h.path, JSON.stringify(target));
    }
  }

  /** The route of a path, if an active version listens on it (through the cache when on). */
  async lookup(path: string): Promise<HookTarget | undefined> {
    const parse = (raw: string | null | undefined) => {
      const parsed: unknown = raw ? JSON.parse(raw) : undefined;
      return isJsonObject(parsed) ? (parsed as JsonObject as unknown as HookTarget) : undefined;
    };
    if (!this.cache.enabled) return parse(await this.redis.hget(this.keys.hooks, path));
    const table = await this.cache.read('hooks', async () => {
      const all = await this.redis.hgetall(this.keys.hooks);
      return new Map(Object.entries(all).map(([p, raw]) => [p, parse(raw)]));
    });
    return table.get(path);
  }
}
