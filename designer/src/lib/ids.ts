/**
 * A readable id not in `taken`: `prefix`, then `prefix-2`, `prefix-3`, ... Deterministic, so tests
 * and files do not depend on randomness.
 */
export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  const base = prefix.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'id';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}
