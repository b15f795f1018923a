import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: brings runtime/dist (the bundled CLI) up to date once, before any test
 * file runs. Tests that spawn `crossdock` processes start the bundle (under a second) rather than
 * the sources through tsx (2-4 s a process, each compiling the runtime again); the command
 * rebuilds a stale bundle itself, but files running side by side would each start a build.
 */
export default function setup(): void {
  const bin = fileURLToPath(new URL('../runtime/bin/crossdock.js', import.meta.url));
  execFileSync(process.execPath, [bin, '--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
