import { readFile, writeFile } from 'node:fs/promises';
import {
  formatFlow,
  formatJson,
  formatProcess,
  formatReconciliation,
  parseJson,
} from '@crossdock/nodes';
import { collectFiles, displayPath } from '../files';

export interface FmtOptions {
  check?: boolean;
}

/** Rewrites flow, process, reconciliation and environment files in their canonical form, or (`--check`) lists those that are not. */
export async function fmtCommand(paths: string[], options: FmtOptions): Promise<number> {
  const files = await collectFiles(paths);
  let unformatted = 0;
  let broken = 0;
  for (const f of files) {
    const text = await readFile(f.path, 'utf8');
    const parsed = parseJson(text);
    const shown = displayPath(f.path);
    if (parsed.value === undefined) {
      const d = parsed.diagnostics[0];
      process.stdout.write(
        `${shown}:${d?.line ?? 1}:${d?.column ?? 1}  error  json.syntax  ${d?.message ?? 'invalid JSON'}\n`,
      );
      broken += 1;
      continue;
    }
    const formatted =
      f.kind === 'flow'
        ? formatFlow(parsed.value as never)
        : f.kind === 'process'
          ? formatProcess(parsed.value as never)
          : f.kind === 'reconciliation'
            ? formatReconciliation(parsed.value as never)
            : formatJson(parsed.value);
    if (formatted === text) continue;
    unformatted += 1;
    if (options.check)
      process.stdout.write(`${shown}: not formatted (run: pnpm crossdock fmt ${shown})\n`);
    else {
      await writeFile(f.path, formatted);
      process.stdout.write(`${shown}: formatted\n`);
    }
  }
  if (options.check) {
    process.stderr.write(
      `${files.length} file(s) checked: ${unformatted} not formatted, ${broken} not valid JSON\n`,
    );
    return unformatted + broken > 0 ? 1 : 0;
  }
  return broken > 0 ? 1 : 0;
}
