/** One difference between two JSON values, at a dotted path. */
export interface JsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => {
      leaves(v, `${path}[${i}]`, out);
    });
  } else {
    out.set(path || '(root)', value);
  }
}

/** Leaf-by-leaf differences between `before` and `after`, sorted by path. */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(before, '', a);
  leaves(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: JsonChange[] = [];
  for (const path of paths) {
    const inA = a.has(path);
    const inB = b.has(path);
    if (inA && !inB) out.push({ path, kind: 'removed', before: a.get(path) });
    else if (!inA && inB) out.push({ path, kind: 'added', after: b.get(path) });
    else if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) {
      out.push({ path, kind: 'changed', before: a.get(path), after: b.get(path) });
    }
  }
  return out;
}
