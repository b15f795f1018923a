import { compileRoutePattern, matchesRoute } from './route-pattern';

/** One request a sandbox system received (credentials are never kept). */
export interface ReceivedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  body: unknown;
  /** The status the system answered, or `null` when it never answered (hang, reset). */
  status: number | null;
  /** Set when an injected fault decided the answer. */
  fault: string | undefined;
  /** Set when the answer was replayed for a repeated Idempotency-Key. */
  replayed: boolean;
}

export interface ReceivedFilter {
  method?: string;
  /** Route pattern, as for faults (`/api/orders/:id/holds`). */
  path?: string;
  /** Only entries with a greater sequence number. */
  since?: number;
}

/** Everything a system received, in order; bounded so a long session cannot exhaust memory. */
export class ReceivedLog {
  private entries: ReceivedRequest[] = [];
  private seq = 0;

  constructor(private readonly max = 50_000) {}

  add(entry: Omit<ReceivedRequest, 'seq'>): ReceivedRequest {
    this.seq += 1;
    const full = { ...entry, seq: this.seq };
    this.entries.push(full);
    if (this.entries.length > this.max) this.entries.shift();
    return full;
  }

  list(filter: ReceivedFilter = {}): ReceivedRequest[] {
    const pattern = filter.path ? compileRoutePattern(filter.path) : undefined;
    return this.entries.filter(
      (e) =>
        (filter.since === undefined || e.seq > filter.since) &&
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!pattern || matchesRoute(pattern, e.method, e.path)),
    );
  }

  clear(): void {
    this.entries = [];
    this.seq = 0;
  }
}
