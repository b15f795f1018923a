import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ROLES, type Role } from '../infra/config';
import type { Caller } from '../service/caller';
import { ApiError } from './errors';

export type { Caller };

/**
 * Resolves `Authorization: Bearer <key>` to a role; 401 without a known key. `hint` ends the 401
 * message (in development: which key to use).
 */
export function authenticate(keys: ReadonlyMap<string, Role>, hint = ''): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const key = match?.[1]?.trim();
    const role = key !== undefined ? keys.get(key) : undefined;
    if (!key || !role) {
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
