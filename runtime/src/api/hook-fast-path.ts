import type { IncomingMessage, ServerResponse } from 'node:http';
import bytes from 'bytes';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { asExpress, deferExpress } from './express-objects';
import type { HookIntake } from './routes/hooks';

/**
 * A webhook URL whose hook path the express route would take as it is written: `/hooks/`
 * (lower case) and path characters that need no percent-decoding, then an optional query
 * without a fragment (which would send the URL parser down another road). Anything else
 * (`/HOOKS/…`, `%2F`, `#`) is left to express, which answers it as it always did.
 */
const PLAIN_HOOK_URL = /^\/hooks\/[\w\-.~!$&'()*+,;=:@][\w\-.~!$&'()*+,;=:@/]*(?:\?[^#]*)?$/;
const MOUNT = '/hooks';
const EMPTY = Buffer.alloc(0);

/** An error as the body parser raises it: the error handler answers it by `status` and `type`. */
function bodyError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

/** Whether the request's body can no longer be read (the body parser's "already finished"). */
function finished(req: IncomingMessage): boolean {
  const socket = req.socket as IncomingMessage['socket'] | null;
  return (
    (req as { upgrade?: boolean }).upgrade === true ||
    !socket ||
    !socket.readable ||
    (req.complete && !req.readable)
  );
}

/** Reads off what is left of a refused body, then calls `done` (as the body parser does). */
function drain(req: IncomingMessage, done: () => void): void {
  if (finished(req)) {
    done();
    return;
  }
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    req.off('end', once);
    req.off('close', once);
    req.off('error', once);
    done();
  };
  req.on('end', once);
  req.on('close', once);
  req.on('error', once);
  req.resume();
}

/**
 * The raw body, read as `express.raw({ limit })` reads it: none without Content-Length or
 * Transfer-Encoding; 413 (`entity.too.large`) for a declared or received length over the limit
 * and 400 for a body cut short, each answered only once the rest of the body is read off.
 * A body whose stream closes before its end settles nothing (the parser's answer is none).
 */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(declared));
    if (finished(req) || !hasBody) {
      resolve(EMPTY);
      return;
    }
    const length =
      declared !== undefined && !Number.isNaN(Number(declared))
        ? Number.parseInt(declared, 10)
        : null;
    const tooLarge = () =>
      Object.assign(bodyError(413, 'request entity too large', 'entity.too.large'), { limit });
    if (length !== null && length > limit) {
      drain(req, () => reject(tooLarge()));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('aborted', onAborted);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', cleanup);
    };
    const fail = (error: Error) => {
      cleanup();
      req.pause();
      drain(req, () => reject(error));
    };
    function onAborted() {
      fail(bodyError(400, 'request aborted', 'request.aborted'));
    }
    function onData(chunk: Buffer) {
      received += chunk.length;
      if (received > limit) fail(tooLarge());
      else chunks.push(chunk);
    }
    function onError(error: Error) {
      fail(bodyError(400, error.message, 'request.error'));
    }
    function onEnd() {
      if (length !== null && received !== length) {
        fail(bodyError(400, 'request size did not match content length', 'request.size.invalid'));
        return;
      }
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    }
    req.on('aborted', onAborted);
    req.on('close', cleanup);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Whether the fast path takes this request: a `POST` to a plain hook URL with an uncompressed
 * body (a compressed one is inflated by express's body parser: left to it).
 */
export function isPlainDelivery(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): boolean {
  if (req.method !== 'POST' || req.url === undefined || !PLAIN_HOOK_URL.test(req.url)) return false;
  return (req.headers['content-encoding'] || 'identity').toLowerCase() === 'identity';
}

export interface HookFastPathParts {
  /** The express app: its request/response prototypes, for the answers that need its helpers. */
  app: Express;
  /**
   * The app-wide middlewares every request passes first (request log, security headers). Here
   * they get plain `node:http` objects: they may use Node's API, `res.locals` and `originalUrl`.
   */
  front: readonly RequestHandler[];
  intake: HookIntake;
  /** The app's error handler, which answers what the intake throws. */
  onError: ErrorRequestHandler;
  /** `CROSSDOCK_BODY_LIMIT`, as `express.raw` reads it. */
  bodyLimit: string;
}

/**
 * Takes `POST /hooks/<path>` past express's router, body parser and request/response objects,
 * which cost about a third of `serve`'s CPU per delivery: the same front middlewares, the same
 * body limit, the same intake and the same error handler, with `req.url` rewritten under the
 * `/hooks` mount while the intake runs and restored for the error handler, as express's router
 * does. Returns false for every request it leaves to express.
 */
export function hookFastPath(
  parts: HookFastPathParts,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { app, front, intake, onError } = parts;
  const limit = bytes.parse(parts.bodyLimit);
  // A limit `bytes` cannot read is express's to refuse the way it does.
  if (limit === null) return () => false;

  const fail = (error: unknown, plainReq: Request, plainRes: Response, url: string) => {
    const { req, res } = asExpress(plainReq, plainRes);
    req.url = url;
    req.baseUrl = '';
    try {
      onError(error, req, res, () => {});
    } catch {
      // Express's last resort for a handler failing after its answer began: drop the socket.
      req.socket.destroy();
    }
  };

  const deliver = async (req: Request, res: Response, url: string) => {
    const raw = await readRaw(req, limit);
    const query = url.indexOf('?');
    const hookPath = url.slice(MOUNT.length + 1, query < 0 ? undefined : query);
    await intake(hookPath, raw, req, res);
  };

  return (message, response) => {
    if (!isPlainDelivery(message)) return false;
    const url = message.url as string;

    // What `app.handle` does before its router runs, but the prototypes: those wait until
    // something needs express (see express-objects.ts), an answer other than the 202.
    const req = message as Request;
    const res = response as Response;
    if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
    if (!res.locals) res.locals = Object.create(null);
    deferExpress(req, app);
    req.originalUrl = url;

    let index = 0;
    const next = (error?: unknown) => {
      if (error !== undefined && error !== null) {
        fail(error, req, res, url);
        return;
      }
      const middleware = front[index++];
      if (middleware) {
        try {
          middleware(req, res, next);
        } catch (thrown) {
          fail(thrown, req, res, url);
        }
        return;
      }
      // Inside the `/hooks` mount, as express's router leaves `req.url` for the route.
      req.baseUrl = MOUNT;
      req.url = url.slice(MOUNT.length);
      deliver(req, res, url).catch((thrown: unknown) => fail(thrown, req, res, url));
    };
    next();
    return true;
  };
}
