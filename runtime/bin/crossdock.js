#!/usr/bin/env node
// The `crossdock` command: runs the bundled CLI (runtime/dist), rebuilding it first when a
// source is newer (a fresh clone, a pull, an edit), so the command is always the code in the tree.
import { pathToFileURL } from 'node:url';
import { buildCli, entryFile, isStale } from './build.js';

if (isStale()) {
  process.stderr.write(
    'crossdock: building the CLI (runtime/dist is missing or older than its sources)…\n',
  );
  await buildCli();
}
const { main } = await import(pathToFileURL(entryFile).href);
process.exitCode = await main(process.argv.slice(2));
