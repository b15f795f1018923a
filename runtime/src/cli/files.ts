import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const FLOW_SUFFIX = '.flow.json';
export const PROCESS_SUFFIX = '.process.json';

export type FileKind = 'flow' | 'environment' | 'partner' | 'process' | 'reconciliation';

export interface FoundFile {
  path: string;
  kind: FileKind;
}

/** Where relative paths on the command line are meant from: pnpm runs scripts in the root. */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

function kindOf(file: string): FileKind | undefined {
  if (file.endsWith('.schema.json')) return undefined;
  if (file.endsWith(FLOW_SUFFIX)) return 'flow';
  if (file.endsWith(PROCESS_SUFFIX)) return 'process';
  if (file.endsWith('.json') && path.basename(path.dirname(file)) === 'environments')
    return 'environment';
  if (file.endsWith('.json') && path.basename(path.dirname(file)) === 'partners') return 'partner';
  if (file.endsWith('.json') && path.basename(path.dirname(file)) === 'reconciliations')
    return 'reconciliation';
  return undefined;
}

async function walk(dir: string, out: FoundFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else {
      const kind = kindOf(full);
      if (kind) out.push({ path: full, kind });
    }
  }
}

/**
 * Expands files and folders into the flow, process and environment files they hold. A file
 * named explicitly is taken as a flow unless it is a `*.process.json` or lies in an
 * `environments`, `partners` or `reconciliations` folder.
 */
export async function collectFiles(args: readonly string[]): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  for (const arg of args) {
    const full = path.resolve(userCwd(), arg);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(full);
    } catch {
      throw new UsageError(`No such file or folder: ${arg}`);
    }
    if (info.isDirectory()) await walk(full, out);
    else out.push({ path: full, kind: kindOf(full) ?? 'flow' });
  }
  return out;
}

/** Wrong arguments: exit code 2, with a hint to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function displayPath(file: string): string {
  const rel = path.relative(userCwd(), file);
  return rel.startsWith('..') ? file : rel;
}
