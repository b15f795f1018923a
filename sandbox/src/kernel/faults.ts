import { BadRequest, isRecord } from './body';
import type { Clock } from './clock';
import { compileRoutePattern, matchesRoute, type RoutePattern } from './route-pattern';

/** What a fault does to a matching request (or, for `duplicate`, to a matching outgoing event). */
export type FaultEffect =
  | { kind: 'latency'; ms: number }
  | { kind: 'error'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'hang'; ms: number | undefined }
  | { kind: 'outage'; seconds: number; mode: 'status' | 'reset' }
  | { kind: 'duplicate'; copies: number }
  /** The request takes effect but the answer is lost (the connection drops): at-least-once bait. */
  | { kind: 'drop-response' };

export interface FaultScope {
  /** Request pattern (`POST /api/orders/*`); every non-control route when absent. */
  route: string | undefined;
  /** Event path pattern for `duplicate` (`carrier/milestone`); every event when absent. */
  event: string | undefined;
  /** Matches left before the fault removes itself; unlimited when absent. */
  remaining: number | undefined;
}

/** A fault as a test arms it. */
export type FaultSpec = FaultEffect & FaultScope;

/** An armed fault. */
export type Fault = FaultSpec & {
  id: string;
  /** For `outage`: when it ends (ISO time). */
  until: string | undefined;
};

interface Entry {
  fault: Fault;
  pattern: RoutePattern;
  untilMs: number | undefined;
}

const kinds = [
  'latency',
  'error',
  'rate-limit',
  'hang',
  'outage',
  'duplicate',
  'drop-response',
] as const;

function positiveInt(value: unknown, what: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new BadRequest(`${what} must be a non-negative integer`);
  }
  return value;
}

/** Parses a fault as `POST /_control/faults` receives it. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (!isRecord(body)) throw new BadRequest('A fault must be a JSON object', 400);
  const kind = body.kind;
  if (typeof kind !== 'string' || !(kinds as readonly string[]).includes(kind)) {
    throw new BadRequest(`kind must be one of ${kinds.join(', ')}`);
  }
  const route = body.route === undefined ? undefined : String(body.route);
  const event = body.event === undefined ? undefined : String(body.event);
  const remaining =
    body.times === undefined ? undefined : Math.max(1, positiveInt(body.times, 'times'));
  const scope: FaultScope = { route, event, remaining };
  switch (kind as (typeof kinds)[number]) {
    case 'latency':
      return { ...scope, kind: 'latency', ms: positiveInt(body.ms, 'ms') };
    case 'error': {
      const status = positiveInt(body.status, 'status', 500);
      if (status < 400 || status > 599) throw new BadRequest('status must be 400-599');
      return { ...scope, kind: 'error', status };
    }
    case 'rate-limit':
      return {
        ...scope,
        kind: 'rate-limit',
        retryAfterSeconds: positiveInt(body.retryAfterSeconds, 'retryAfterSeconds', 1),
      };
    case 'hang':
      return {
        ...scope,
        kind: 'hang',
        ms: body.ms === undefined ? undefined : positiveInt(body.ms, 'ms'),
      };
    case 'outage': {
      const mode = body.mode ?? 'status';
      if (mode !== 'status' && mode !== 'reset')
        throw new BadRequest('mode must be status or reset');
      return { ...scope, kind: 'outage', seconds: positiveInt(body.seconds, 'seconds'), mode };
    }
    case 'duplicate':
      return {
        ...scope,
        kind: 'duplicate',
        copies: Math.max(2, positiveInt(body.copies, 'copies', 2)),
      };
    case 'drop-response':
      return { ...scope, kind: 'drop-response' };
  }
}

const terminal = new Set<FaultEffect['kind']>(['error', 'rate-limit', 'hang', 'outage']);

/** The faults armed on one system. Faults apply in the order they were added. */
export class FaultRegistry {
  private entries: Entry[] = [];
  private counter = 0;

  constructor(private readonly clock: Clock) {}

  add(spec: FaultSpec): Fault {
    this.counter += 1;
    const nowMs = this.clock.now().getTime();
    const untilMs = spec.kind === 'outage' ? nowMs + spec.seconds * 1000 : undefined;
    const fault: Fault = {
      ...spec,
      id: `fault-${this.counter}`,
      until: untilMs === undefined ? undefined : new Date(untilMs).toISOString(),
    };
    const pattern = compileRoutePattern(
      (spec.kind === 'duplicate' ? spec.event : spec.route) ?? '*',
    );
    this.entries.push({ fault, pattern, untilMs });
    return fault;
  }

  list(): Fault[] {
    this.expire();
    return this.entries.map((e) => e.fault);
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.fault.id !== id);
    return this.entries.length < before;
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * Request faults that apply to this request, in the order they were armed, consuming one use
   * of each. The first fault that answers by itself (error, rate limit, hang, outage) ends the
   * list: faults armed after it are not used up by a request they never touched.
   */
  takeForRequest(method: string, path: string): Fault[] {
    let answered = false;
    return this.take((e) => {
      if (answered || e.fault.kind === 'duplicate' || !matchesRoute(e.pattern, method, path)) {
        return false;
      }
      answered = terminal.has(e.fault.kind);
      return true;
    });
  }

  /** How many copies of this event to deliver (1 without a duplicate fault). */
  copiesForEvent(eventPath: string): number {
    const [fault] = this.take(
      (e) => e.fault.kind === 'duplicate' && matchesRoute(e.pattern, 'POST', eventPath),
    );
    return fault?.kind === 'duplicate' ? fault.copies : 1;
  }

  private take(match: (entry: Entry) => boolean): Fault[] {
    this.expire();
    const taken: Fault[] = [];
    for (const entry of this.entries) {
      if (!match(entry)) continue;
      taken.push(entry.fault);
      if (entry.fault.remaining !== undefined) entry.fault.remaining -= 1;
    }
    this.entries = this.entries.filter((e) => e.fault.remaining !== 0);
    return taken;
  }

  private expire(): void {
    const nowMs = this.clock.now().getTime();
    this.entries = this.entries.filter((e) => e.untilMs === undefined || e.untilMs > nowMs);
  }
}
