import { timingSafeEqual } from 'node:crypto';

/** How a system checks a caller, as `flows/environments/dev.json` describes its connection. */
export type AuthCheck =
  | { type: 'none' }
  | { type: 'api-key'; header: string; key: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Returns why the request is refused, or undefined when it may pass. */
export function refuse(
  check: AuthCheck,
  header: (name: string) => string | undefined,
): string | undefined {
  switch (check.type) {
    case 'none':
      return undefined;
    case 'api-key': {
      const key = header(check.header);
      if (!key) return `missing ${check.header} header`;
      return same(key, check.key) ? undefined : `wrong ${check.header}`;
    }
    case 'bearer': {
      const value = header('authorization') ?? '';
      if (!value.startsWith('Bearer ')) return 'missing bearer token';
      return same(value.slice(7), check.token) ? undefined : 'invalid bearer token';
    }
    case 'basic': {
      const value = header('authorization') ?? '';
      if (!value.startsWith('Basic ')) return 'missing basic credentials';
      const decoded = Buffer.from(value.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const ok =
        colon > 0 &&
        same(decoded.slice(0, colon), check.username) &&
        same(decoded.slice(colon + 1), check.password);
      return ok ? undefined : 'invalid username or password';
    }
  }
}
