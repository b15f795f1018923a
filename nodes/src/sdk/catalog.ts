import type { NodeManifest } from './manifest';

/** The node types a designer offers and a runtime accepts: built once from an explicit list. */
export interface Catalog {
  get(type: string): NodeManifest | undefined;
  list(): readonly NodeManifest[];
}

export function createCatalog(manifests: readonly NodeManifest[]): Catalog {
  const byType = new Map<string, NodeManifest>();
  for (const m of manifests) {
    if (byType.has(m.type)) throw new Error(`Duplicate node type in catalog: ${m.type}`);
    byType.set(m.type, m);
  }
  const list = Object.freeze([...manifests]);
  return { get: (type) => byType.get(type), list: () => list };
}
