/** The longest a cached read lives, in case a change announcement was lost. */
export const CACHE_TTL_MS = 5_000;

/**
 * Reads of the deployed flows kept in process (deployments, active versions, the activation
 * tables), shared by the flow store and the activation service so one announcement drops both.
 * Off, every read goes to Redis.
 */
export class ReadCache {
  /** A promise of the value read from Redis, and when it was read. */
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(readonly enabled: boolean) {}

  /** Reads through the cache when it is on; a failed read is not kept. */
  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.value as Promise<T>;
    const entry = { at: now, value: load() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value as Promise<T>;
  }

  /** Drops everything: the next read goes to Redis. */
  clear(): void {
    this.entries.clear();
  }
}
