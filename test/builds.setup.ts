import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDesignerBuild } from '../runtime/src/cli/designer-build';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Vitest global setup: brings the two builds tests start from up to date once, before any test
 * file runs, so that files running side by side never build over what another one is serving.
 * - runtime/dist, the bundled CLI: tests that spawn `crossdock` start it (under a second) rather
 *   than the sources through tsx (2-4 s a process, each compiling the runtime again). The command
 *   rebuilds a stale bundle itself, but every file would start its own build.
 * - designer/dist, the designer's production build that `crossdock serve` serves, rebuilt when
 *   its sources are newer, as `pnpm start` does; the browser tests served it after each had
 *   rebuilt it, emptying the folder another file's page was loading its chunks from.
 */
export default function setup(): void {
  const bin = path.join(root, 'runtime', 'bin', 'crossdock.js');
  execFileSync(process.execPath, [bin, '--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
  ensureDesignerBuild(root, path.join(root, 'designer', 'dist'));
}
