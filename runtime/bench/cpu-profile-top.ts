/**
 * Prints the top frames of V8 `.cpuprofile` files by self time (and the share of total), so a
 * bench run with BENCH_PROFILE=<dir> can be read without DevTools:
 * `node --import tsx bench/cpu-profile-top.ts <dir or files…> [--top 25]`. Frames of the
 * minified build are mapped back to their source file and line through its source maps.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const args = process.argv.slice(2);
// --inclusive: time in each function and everything it called (else self time only).
const inclusive = args.includes('--inclusive');
// --by-module: self time summed by package (node_modules), source file or Node internals.
const byModule = args.includes('--by-module');
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const inputs = args.filter((a, i) => !a.startsWith('--') && (topIndex < 0 || i !== topIndex + 1));
const files = inputs.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(p, f))
    : [p],
);

const maps = new Map<string, SourceMap | undefined>();

/** `file:line` of a frame, through the bundle's source map when it has one. */
function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  if (frame.url.startsWith('file://')) {
    let map = maps.get(frame.url);
    if (!maps.has(frame.url)) {
      const file = `${fileURLToPath(frame.url)}.map`;
      map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
      maps.set(frame.url, map);
    }
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
      | { originalSource?: string; originalLine?: number }
      | undefined;
    if (entry?.originalSource) {
      const source = entry.originalSource.replace(
        /^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/,
        '',
      );
      return `${source.replace(/^.*\/(runtime|nodes)\/src\//, '$1/')}:${(entry.originalLine ?? 0) + 1}`;
    }
  }
  return `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
}

/** The package, source file or group a frame's code belongs to (for --by-module). */
function moduleOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (!frame.url.startsWith('file://')) return '(node internals)';
  const at = where(frame).replace(/:\d+$/, '');
  const pkg = /^(@[^/]+\/[^/]+|[^./][^/]*)\//.exec(at);
  return at.startsWith('runtime/') || at.startsWith('nodes/') ? at : (pkg?.[1] ?? at);
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) =>
    byModule
      ? moduleOf(n.callFrame)
      : `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}`.trim();
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    if (!node) continue;
    const us = deltas[i] ?? 0;
    total += us;
    if (!inclusive) {
      const key = keyOf(node);
      self.set(key, (self.get(key) ?? 0) + us);
      continue;
    }
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const key = keyOf(byId.get(id) as ProfileNode);
      if (seen.has(key)) continue;
      seen.add(key);
      self.set(key, (self.get(key) ?? 0) + us);
    }
  }
  console.log(`\n${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
}
