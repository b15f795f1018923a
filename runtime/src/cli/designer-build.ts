import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout this code runs from: the first folder above `from` with a pnpm-workspace.yaml
 * (the same from the TypeScript sources and from the bundle in runtime/dist).
 */
export function repositoryRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

/** The newest modification time (ms) of the files under `paths` (files or folders). */
export function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (p: string): void => {
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(p);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      const name = path.basename(p);
      if (name === 'node_modules' || name === 'dist') return;
      for (const entry of readdirSync(p)) visit(path.join(p, entry));
    } else if (info.mtimeMs > newest) newest = info.mtimeMs;
  };
  for (const p of paths) visit(p);
  return newest;
}

/**
 * Why the designer must be (re)built before it is served, or undefined when `dist` is current:
 * missing, or older than a source it is built from (the designer, its config, the shared core).
 */
export function designerBuildReason(dist: string, sources: readonly string[]): string | undefined {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) return 'designer/dist is missing';
  const built = statSync(index).mtimeMs;
  if (newestMtime(sources) > built) return 'its sources are newer than designer/dist';
  return undefined;
}

/** The files the designer build depends on, in a repository checkout rooted at `root`. */
export function designerSources(root: string): string[] {
  return [
    'designer/src',
    'designer/index.html',
    'designer/vite.config.ts',
    'designer/package.json',
    'nodes/src',
  ].map((p) => path.join(root, p));
}

/**
 * Builds the designer for production when needed. NODE_ENV is forced to production: a build
 * started from a test runner (NODE_ENV=test) would otherwise be React's development build.
 */
export function ensureDesignerBuild(root: string, dist: string): void {
  const reason = designerBuildReason(dist, designerSources(root));
  if (!reason) return;
  process.stderr.write(`crossdock: building the designer (${reason})…\n`);
  const result = spawnSync('pnpm', ['--filter', '@crossdock/designer', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stderr.write(
      'crossdock: the designer did not build; the API runs without it. Build it with `pnpm --filter @crossdock/designer build`.\n',
    );
  }
}
