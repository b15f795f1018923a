import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ROLES, type Role } from '../infra/config';
import type { Caller } from '../service/caller';
import type { AuthThrottle } from './auth-throttle';
import { ApiError } from './errors';

export type { Caller };

function tooManyFailures(res: Response, waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.setHeader('retry-after', String(seconds));
  return new ApiError(
    429,
    'too-many-failed-attempts',
    `Too many wrong API keys from this client; try again in ${seconds} s.`,
  );
}

/**
 * Resolves `Authorization: Bearer <key>` to a role; 401 without a known key. `hint` ends the 401
 * message (in development: which key to use). With a `throttle`, a client that keeps sending
 * wrong keys is answered 429 with `Retry-After` (even for a right key, or guessing would go on).
 */
export function authenticate(
  keys: ReadonlyMap<string, Role>,
  hint = '',
  throttle?: AuthThrottle,
): RequestHandler {
  return async (req, res, next) => {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const key = match?.[1]?.trim();
    if (throttle && header !== '') {
      const wait = await throttle.blockedFor(client);
      if (wait > 0) throw tooManyFailures(res, wait);
    }
    const role = key !== undefined ? keys.get(key) : undefined;
    if (!key || !role) {
      // A request without any key guesses nothing; only wrong keys count towards the backoff.
      if (throttle && header !== '') await throttle.failed(client);
      throw new ApiError(
        401,
        'unauthenticated',
        `Send a valid API key as "Authorization: Bearer <key>".${hint}`,
      );
    }
    const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 8);
    const user = req.headers['x-crossdock-user'];
    const named = typeof user === 'string' && /^[\w.@ -]{1,100}$/.test(user) ? user : undefined;
    res.locals.caller = {
      role,
      actor: named ? `${named} (${role})` : `${role}:${fingerprint}`,
      keyId: fingerprint,
    } satisfies Caller;
    next();
  };
}

export function caller(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** 403 unless the caller's role is `role` or above. */
export function requireRole(role: Role): RequestHandler {
  return (_req: Request, res, next) => {
    const have = caller(res).role;
    if (ROLES.indexOf(have) < ROLES.indexOf(role)) {
      throw new ApiError(
        403,
        'forbidden',
        `This needs the ${role} role or above; your key has ${have}.`,
      );
    }
    next();
  };
}
