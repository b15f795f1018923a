import { createHmac } from 'node:crypto';
import { type Clock, sleep } from './clock';
import type { FaultRegistry } from './faults';
import { compileRoutePattern, matchesRoute } from './route-pattern';

export interface WebhookOptions {
  /** Crossdock's webhook base, e.g. `http://127.0.0.1:8080/hooks`; events go to `<base>/<path>`. */
  baseUrl: string;
  /** When set, deliveries are signed as the webhook trigger expects (HMAC-SHA256). */
  signingSecret?: string;
  /** Attempts per delivery (network errors, 408, 429 and 5xx are retried). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 5 s; Retry-After wins when sent. */
  backoffMs?: number;
  /** Deliveries in flight at once per system. */
  concurrency?: number;
  timeoutMs?: number;
}

export type EventBody = { json: unknown } | { x12: string };

/**
 * Another way out for the events of one path: a message broker (`also`: besides the webhook) or
 * a partner's SFTP drop (`instead` of the webhook). Outlets are set by whoever starts the sandbox.
 */
export interface EventOutlet {
  mode: 'also' | 'instead';
  /** What the delivery log shows as its answer (e.g. `amqp wms.events`). */
  name: string;
  send(event: { eventId: string; path: string; body: EventBody }): Promise<void>;
}

/** One delivery of one event (a duplicated event has one delivery per copy, same event id). */
export interface Delivery {
  eventId: string;
  path: string;
  copy: number;
  contentType: string;
  body: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responses: Array<number | string>;
  /** What the receiver answered on the successful attempt (e.g. the run id). */
  response: unknown;
}

/** Sends a system's events to Crossdock, retrying like a real vendor's webhook dispatcher. */
export class WebhookSender {
  private deliveries: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private active = 0;
  private waiting: Array<() => void> = [];
  private counter = 0;
  private stopped = false;
  private readonly outlets = new Map<string, EventOutlet>();

  constructor(
    private readonly system: string,
    private options: WebhookOptions,
    private readonly faults: FaultRegistry,
    private readonly clock: Clock,
  ) {}

  /** Queues an event for delivery and returns its id; `idle()` waits for every delivery. */
  emit(path: string, build: (eventId: string) => EventBody): string {
    this.counter += 1;
    const eventId = `${this.system.toUpperCase()}-EVT-${String(this.counter).padStart(6, '0')}`;
    const body = build(eventId);
    const outlet = this.outlets.get(path);
    if (outlet) {
      this.toOutlet(outlet, eventId, path, body);
      if (outlet.mode === 'instead') return eventId;
    }
    const copies = this.faults.copiesForEvent(path);
    for (let copy = 1; copy <= copies; copy += 1) {
      const delivery: Delivery = {
        eventId,
        path,
        copy,
        contentType: 'json' in body ? 'application/json' : 'application/edi-x12',
        body: 'json' in body ? body.json : body.x12,
        status: 'pending',
        attempts: 0,
        responses: [],
        response: undefined,
      };
      this.deliveries.push(delivery);
      const task = this.deliver(delivery).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
    return eventId;
  }

  /** Sends the events of `path` to `outlet` too (or instead); `undefined` removes it. */
  setOutlet(path: string, outlet: EventOutlet | undefined): void {
    if (outlet) this.outlets.set(path, outlet);
    else this.outlets.delete(path);
  }

  hasOutlet(path: string): boolean {
    return this.outlets.has(path);
  }

  private toOutlet(outlet: EventOutlet, eventId: string, path: string, body: EventBody): void {
    const delivery: Delivery = {
      eventId,
      path: `${outlet.name}: ${path}`,
      copy: 1,
      contentType: 'json' in body ? 'application/json' : 'application/edi-x12',
      body: 'json' in body ? body.json : body.x12,
      status: 'pending',
      attempts: 1,
      responses: [],
      response: undefined,
    };
    this.deliveries.push(delivery);
    const task = outlet
      .send({ eventId, path, body })
      .then(
        () => {
          delivery.status = 'delivered';
          delivery.responses.push(outlet.name);
        },
        (error: unknown) => {
          delivery.status = 'failed';
          delivery.responses.push(error instanceof Error ? error.message : String(error));
        },
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  list(filter: { path?: string } = {}): Delivery[] {
    const pattern = filter.path ? compileRoutePattern(filter.path) : undefined;
    return this.deliveries.filter((d) => !pattern || matchesRoute(pattern, 'POST', d.path));
  }

  /** Points later deliveries (and retries) at another Crossdock. */
  setBaseUrl(baseUrl: string): void {
    this.options = { ...this.options, baseUrl };
  }

  /** Resolves when no delivery is pending. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.deliveries = [];
    this.counter = 0;
  }

  /** How many events were emitted: event ids continue from it after a restart. */
  get emitted(): number {
    return this.counter;
  }

  /** Continues event ids after `count` (a restored state), so ids are never reused. */
  continueFrom(count: number): void {
    if (Number.isInteger(count) && count > this.counter) this.counter = count;
  }

  /** Stops retrying; pending deliveries end as failed. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async slot(): Promise<void> {
    const limit = this.options.concurrency ?? 16;
    while (this.active >= limit && !this.stopped) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
  }

  private release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const raw =
      delivery.contentType === 'application/json'
        ? JSON.stringify(delivery.body)
        : String(delivery.body);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/${delivery.path}`;
    while (!this.stopped && delivery.attempts < maxAttempts) {
      delivery.attempts += 1;
      let retryAfterMs: number | undefined;
      await this.slot();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: this.headers(delivery, raw),
          body: raw,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        const text = await response.text();
        delivery.responses.push(response.status);
        if (response.ok) {
          delivery.status = 'delivered';
          delivery.response = parseMaybeJson(text);
          return;
        }
        if (!retryable(response.status)) break;
        const after = Number(response.headers.get('retry-after'));
        if (Number.isFinite(after) && after >= 0) retryAfterMs = Math.min(after * 1000, 30_000);
      } catch (error) {
        delivery.responses.push(error instanceof Error ? error.message : String(error));
      } finally {
        this.release();
      }
      if (delivery.attempts < maxAttempts && !this.stopped) {
        const base = this.options.backoffMs ?? 200;
        await sleep(retryAfterMs ?? Math.min(base * 2 ** (delivery.attempts - 1), 5_000));
      }
    }
    delivery.status = 'failed';
  }

  private headers(delivery: Delivery, raw: string): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': delivery.contentType,
      'x-sandbox-system': this.system,
      'x-sandbox-event-id': delivery.eventId,
    };
    if (this.options.signingSecret) {
      const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
      headers['x-crossdock-timestamp'] = timestamp;
      headers['x-crossdock-signature'] = createHmac('sha256', this.options.signingSecret)
        .update(`${timestamp}.${raw}`)
        .digest('hex');
    }
    return headers;
  }
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
