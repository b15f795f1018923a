// Bundles the CLI and runtime (runtime/src/cli/main.ts with the workspace packages and their
// dependencies) into plain JavaScript in runtime/dist, so commands start without a TypeScript
// loader. Plain JavaScript itself: it runs before anything is compiled.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runtimeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(runtimeDir, '..');
export const outdir = path.join(runtimeDir, 'dist');
export const entryFile = path.join(outdir, 'crossdock.js');

/** What the bundle is built from: a change to any of these makes it stale. */
const sources = [
  'runtime/src',
  'nodes/src',
  'sandbox/src',
  'runtime/package.json',
  'nodes/package.json',
  'sandbox/package.json',
  'pnpm-lock.yaml',
  'runtime/bin/build.js',
].map((p) => path.join(root, p));

function newest(p) {
  let info;
  try {
    info = statSync(p);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules') continue;
    max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

/** True when runtime/dist is missing or older than a source. */
export function isStale() {
  if (!existsSync(entryFile)) return true;
  const built = statSync(entryFile).mtimeMs;
  return sources.some((s) => newest(s) > built);
}

/**
 * Modules that find files beside themselves (`import.meta.url`) keep doing so from the bundle:
 * their `import.meta.url` becomes their source file's URL, relative to the bundle's folder.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

/**
 * Builds runtime/dist/crossdock.js (and its lazily loaded chunks) in a private folder that then
 * replaces runtime/dist, so a command starting meanwhile never sees half a build.
 */
export async function buildCli() {
  const esbuild = await import('esbuild');
  const temp = path.join(runtimeDir, `.dist-${process.pid}`);
  await esbuild.build({
    entryPoints: { crossdock: path.join(runtimeDir, 'src', 'cli', 'main.ts') },
    outdir: temp,
    metafile: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // ESM builds first: some packages' "main" is a UMD build that esbuild cannot follow.
    mainFields: ['module', 'main'],
    target: 'node20.19',
    sourcemap: 'linked',
    // Smaller files parse faster. Identifiers keep their names instead of esbuild's keepNames,
    // which wraps every function it creates in a defineProperty call (1% of a worker's CPU).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    // ssh2's optional native speed-ups: required inside try/catch, so the bundle runs without them.
    external: ['cpu-features', '*.node'],
    // Bundled CommonJS dependencies call require() for Node built-ins and read __dirname.
    banner: {
      js: [
        "import { createRequire as __crossdockRequire } from 'node:module';",
        "import { fileURLToPath as __crossdockPath } from 'node:url';",
        'const require = __crossdockRequire(import.meta.url);',
        'const __filename = __crossdockPath(import.meta.url);',
        "const __dirname = __crossdockPath(new URL('.', import.meta.url));",
      ].join('\n'),
    },
    plugins: [keepModuleUrls],
  });
  rmSync(outdir, { recursive: true, force: true });
  try {
    renameSync(temp, outdir);
  } catch {
    // Another process built the same sources at the same moment: its build serves.
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildCli();
  process.stdout.write(`built ${path.relative(process.cwd(), entryFile)}\n`);
}
