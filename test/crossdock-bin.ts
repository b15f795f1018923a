import { fileURLToPath } from 'node:url';

/**
 * The `crossdock` command as `pnpm crossdock` runs it: runtime/bin/crossdock.js, which starts the
 * bundled CLI in runtime/dist (brought up to date before the tests by test/builds.setup.ts).
 * Tests spawn it as `node <crossdockBin> <args>`; a process starts in about a second, where the
 * sources through tsx took 2-4 s, compiling the runtime again for every process.
 */
export const crossdockBin = fileURLToPath(new URL('../runtime/bin/crossdock.js', import.meta.url));
