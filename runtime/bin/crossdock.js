#!/usr/bin/env node
// Runs the TypeScript CLI in this process with tsx registered as a loader, so the package needs
// no build step and signals (SIGTERM for a graceful shutdown) reach the runtime itself.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
