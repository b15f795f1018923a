// `pnpm typecheck`: `tsc --noEmit` over every TypeScript project, two (or as many as there are
// cores) at a time instead of one after another: each tsc uses one core, and on the 2-core CI
// machine the six ran for over a minute. Each project's output is printed when it ends; the
// exit code is 1 when any project fails. Plain JavaScript: it runs before anything is compiled.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';

// Slowest first, so the last one to start is a short one.
const projects = ['runtime', 'nodes', 'designer', 'test', 'nodes/tsconfig.sdk.json', 'sandbox'];
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const lanes = Math.max(2, os.availableParallelism());

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', project], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('close', (code) => {
      process.stdout.write(`tsc --noEmit -p ${project}: ${code === 0 ? 'ok' : 'failed'}\n${out}`);
      resolve(code === 0);
    });
  });
}

const queue = [...projects];
const results = await Promise.all(
  Array.from({ length: Math.min(lanes, queue.length) }, async () => {
    let ok = true;
    for (let project = queue.shift(); project; project = queue.shift()) {
      if (!(await check(project))) ok = false;
    }
    return ok;
  }),
);
process.exitCode = results.every(Boolean) ? 0 : 1;
