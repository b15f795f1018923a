import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type AuthCheck, refuse } from './auth';
import { BadRequest } from './body';
import { type Clock, Sequences, sleep } from './clock';
import { controlRouter } from './control';
import { FaultRegistry } from './faults';
import { ReceivedLog, type ReceivedRequest } from './received';
import { type WebhookOptions, WebhookSender } from './webhooks';

export type SystemName = 'erp' | 'wms' | 'tms' | 'carrier';

/** Native error bodies differ per vendor, like everything else. */
export type ErrorBody = (status: number, code: string, message: string) => unknown;

/** What makes one sandbox system: its state, auth, error format, API and floor simulations. */
export interface SystemSpec<S> {
  name: SystemName;
  initialState(): S;
  errorBody: ErrorBody;
  /** Business API, mounted at `/`. */
  api(router: Router, system: SystemRuntime<S>): void;
  /** Things that happen in the real world (a pick, a scan), mounted at `/_control/simulate`. */
  simulate(router: Router, system: SystemRuntime<S>): void;
  /**
   * Makes records drift from the other systems (a status, a quantity, an item weight set behind
   * the business API's back), mounted at `/_control/drift`.
   */
  drift?(router: Router, system: SystemRuntime<S>): void;
}

/** One running system as its routes see it. */
export interface SystemRuntime<S> {
  readonly name: SystemName;
  state: S;
  readonly clock: Clock;
  readonly seq: Sequences;
  readonly events: WebhookSender;
  readonly faults: FaultRegistry;
  readonly received: ReceivedLog;
  /** Clears state, faults, the received and sent logs and the idempotency cache. */
  reset(): void;
  /** What a state file keeps: the system's records and its id counters. */
  snapshot(): SystemSnapshot<S>;
  /** Takes a snapshot back (a restart): records, and counters so no id is issued twice. */
  restore(snapshot: SystemSnapshot<S>): void;
}

/** A system's durable part: its records, id sequences and how many events it emitted. */
export interface SystemSnapshot<S> {
  state: S;
  sequences: Record<string, number>;
  events: number;
}

export interface StartOptions {
  port: number;
  host: string;
  auth: AuthCheck;
  clock: Clock;
  webhooks: WebhookOptions;
  /** Called after every request that may have changed the state (any method but GET/HEAD). */
  onChange?: () => void;
  /** More control routes, mounted at `/_control` (e.g. the ERP's staging table). */
  control?: Router;
}

export interface RunningSystem<S> {
  url: string;
  port: number;
  runtime: SystemRuntime<S>;
  stop(): Promise<void>;
}

type Cached = { status: number; body: unknown } | 'pending';

/** Builds and starts one sandbox system as an Express 5 service. */
export async function startSystem<S>(
  spec: SystemSpec<S>,
  options: StartOptions,
): Promise<RunningSystem<S>> {
  const clock = options.clock;
  const faults = new FaultRegistry(clock);
  const received = new ReceivedLog();
  const seq = new Sequences();
  const events = new WebhookSender(spec.name, options.webhooks, faults, clock);
  const idempotency = new Map<string, Cached>();
  const hung = new Set<Socket>();
  const runtime: SystemRuntime<S> = {
    name: spec.name,
    state: spec.initialState(),
    clock,
    seq,
    events,
    faults,
    received,
    reset() {
      runtime.state = spec.initialState();
      seq.reset();
      faults.clear();
      received.clear();
      events.clear();
      idempotency.clear();
      for (const socket of hung) socket.destroy();
      hung.clear();
    },
    snapshot() {
      return { state: runtime.state, sequences: seq.snapshot(), events: events.emitted };
    },
    restore(snapshot) {
      runtime.state = snapshot.state;
      seq.restore(snapshot.sequences);
      events.continueFrom(snapshot.events);
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(express.text({ type: ['text/*', 'application/edi-x12'], limit: '1mb' }));
  const onChange = options.onChange;
  if (onChange) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') res.on('finish', onChange);
      next();
    });
  }

  const simulate = express.Router();
  spec.simulate(simulate, runtime);
  const drift = express.Router();
  spec.drift?.(drift, runtime);
  if (options.control) app.use('/_control', options.control);
  app.use('/_control', controlRouter(runtime, simulate, drift));

  app.use((req: Request, res: Response, next: NextFunction) => {
    const entry = received.add({
      at: clock.now().toISOString(),
      method: req.method,
      path: req.path,
      query: { ...req.query },
      idempotencyKey: req.get('idempotency-key'),
      contentType: req.get('content-type'),
      body: req.body,
      status: null,
      fault: undefined,
      replayed: false,
    });
    res.locals.received = entry;
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    next();
  });

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const entry = res.locals.received as ReceivedRequest;
    for (const fault of faults.takeForRequest(req.method, req.path)) {
      entry.fault = `${fault.id}:${fault.kind}`;
      switch (fault.kind) {
        case 'latency':
          await sleep(fault.ms);
          break;
        case 'error':
          res
            .status(fault.status)
            .json(spec.errorBody(fault.status, 'INJECTED', 'Injected failure'));
          return;
        case 'rate-limit':
          res
            .status(429)
            .set('Retry-After', String(fault.retryAfterSeconds))
            .json(spec.errorBody(429, 'RATE_LIMIT', 'Too many requests'));
          return;
        case 'hang':
          hung.add(req.socket);
          req.socket.once('close', () => hung.delete(req.socket));
          if (fault.ms !== undefined) setTimeout(() => req.socket.destroy(), fault.ms).unref();
          return;
        case 'outage':
          if (fault.mode === 'reset') {
            req.socket.destroy();
            return;
          }
          res.status(503).json(spec.errorBody(503, 'UNAVAILABLE', 'Service unavailable'));
          return;
        case 'drop-response': {
          const drop = () => {
            req.socket.destroy();
            return res;
          };
          res.json = drop;
          res.send = drop;
          break;
        }
        case 'duplicate':
          break;
      }
    }
    next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const reason = refuse(options.auth, (name) => req.get(name));
    if (!reason) {
      next();
      return;
    }
    if (options.auth.type === 'basic') res.set('WWW-Authenticate', 'Basic realm="sandbox"');
    res.status(401).json(spec.errorBody(401, 'UNAUTHORIZED', reason));
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (!key || req.method === 'GET') {
      next();
      return;
    }
    const cacheKey = `${req.method} ${req.path} ${key}`;
    const cached = idempotency.get(cacheKey);
    if (cached === 'pending') {
      res
        .status(409)
        .json(
          spec.errorBody(409, 'IN_PROGRESS', 'A request with this Idempotency-Key is in progress'),
        );
      return;
    }
    if (cached) {
      (res.locals.received as ReceivedRequest).replayed = true;
      res.status(cached.status).set('Idempotent-Replayed', 'true').json(cached.body);
      return;
    }
    idempotency.set(cacheKey, 'pending');
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500) idempotency.set(cacheKey, { status: res.statusCode, body });
      else idempotency.delete(cacheKey);
      return json(body);
    };
    res.on('close', () => {
      if (idempotency.get(cacheKey) === 'pending') idempotency.delete(cacheKey);
    });
    next();
  });

  const api = express.Router();
  spec.api(api, runtime);
  app.use(api);

  app.use((_req: Request, res: Response) => {
    res.status(404).json(spec.errorBody(404, 'NOT_FOUND', 'No such resource'));
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof BadRequest) {
      res.status(error.status).json(spec.errorBody(error.status, error.code, error.message));
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request';
      res.status(status).json(spec.errorBody(status, 'BAD_REQUEST', message));
      return;
    }
    res.status(500).json(spec.errorBody(500, 'INTERNAL', 'Internal error'));
  });

  const server = await listen(app, options.port, options.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    runtime,
    async stop() {
      events.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await events.idle();
    },
  };
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) reject(error);
      else resolve(server);
    });
  });
}
