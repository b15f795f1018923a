/**
 * A client library loaded on first use (`await import(...)`), with its exports by name. Under
 * Node and vitest a CommonJS library's named exports are on the namespace; in the production
 * bundle a CommonJS library split into its own chunk exports only `default` (its
 * `module.exports`), so `const { connect } = await import('amqplib')` would find nothing there.
 */
export async function clientLibrary<T extends object>(loading: Promise<T>): Promise<T> {
  const loaded = await loading;
  const exported: unknown = (loaded as { default?: unknown }).default;
  if (exported === null || (typeof exported !== 'object' && typeof exported !== 'function'))
    return loaded;
  return { ...(exported as object), ...loaded } as T;
}
