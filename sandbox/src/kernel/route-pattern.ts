/**
 * Matches a request or an event path against a pattern such as `POST /api/orders/:id/holds`,
 * `/api/fulfillment-orders*` or `*`. The method is optional; `:name` matches one path segment
 * and `*` matches anything (including slashes).
 */
export interface RoutePattern {
  method: string | undefined;
  regex: RegExp;
  source: string;
}

export function compileRoutePattern(pattern: string): RoutePattern {
  const trimmed = pattern.trim();
  const space = trimmed.indexOf(' ');
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : undefined;
  const path = space > 0 ? trimmed.slice(space + 1).trim() : trimmed;
  const body = path
    .split(/(\*|:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return {
    method: method === '*' ? undefined : method,
    regex: new RegExp(`^${body}$`),
    source: trimmed,
  };
}

export function matchesRoute(pattern: RoutePattern, method: string, path: string): boolean {
  if (pattern.method && pattern.method !== method.toUpperCase()) return false;
  return pattern.regex.test(path);
}
