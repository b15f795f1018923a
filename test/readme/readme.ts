import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** One fenced `sh` block of README.md with the heading it sits under. */
export interface ShellBlock {
  section: string;
  code: string;
}

/** Every ```sh block of a Markdown text, in order, with its `## ` section. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (line.trim() !== '```sh') continue;
    const code: string[] = [];
    for (i += 1; i < lines.length && lines[i]?.trim() !== '```'; i += 1) code.push(lines[i] ?? '');
    blocks.push({ section, code: `${code.join('\n')}\n` });
  }
  return blocks;
}

/** The one block of `section` containing `marker`; throws (the README drifted) otherwise. */
export function blockWith(blocks: ShellBlock[], section: string, marker: string): string {
  const found = blocks.filter((b) => b.section === section && b.code.includes(marker));
  if (found.length !== 1) {
    throw new Error(
      `README.md: expected one sh block in "## ${section}" containing ${JSON.stringify(marker)}, found ${found.length}`,
    );
  }
  return (found[0] as ShellBlock).code;
}

export function readReadme(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Free TCP ports on 127.0.0.1 (taken from the OS, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export interface Shell {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  stop(): Promise<number>;
}

/** Runs a bash script in its own process group (so stopping it stops what it started). */
export function startShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Shell {
  const child = spawn('bash', ['-c', script], { cwd, env, detached: true });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      return exited;
    },
  };
}

/** Runs a bash script to its end; resolves with its exit code and output. */
export async function runShell(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  const shell = startShell(script, cwd, env);
  const code = await shell.exited;
  return { code, output: shell.output() };
}

/** Polls until `check` holds or the deadline passes (then throws, naming what it waited for). */
export async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
