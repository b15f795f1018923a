import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { catalog, type Environment, isJsonObject, loadProcess } from '@crossdock/nodes';
import { displayPath, PROCESS_SUFFIX, UsageError } from '../files';
import { apiErrorMessage, type RuntimeClient } from '../runtime-client';
import { formatDiagnostic, readFlows } from './validate';

export interface PromoteProcessOptions {
  to: string;
  from: string;
  dryRun?: boolean;
  commit?: string;
  write: (text: string) => void;
}

/** The validator's diagnostics the target answered with, one line each. */
function refusedDiagnostics(body: unknown): string[] {
  const error = isJsonObject(body) ? body.error : undefined;
  const details = isJsonObject(error) ? error.details : undefined;
  const diagnostics = isJsonObject(details) ? details.diagnostics : undefined;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.filter(isJsonObject).map((d) => `  ${String(d.path)}: ${String(d.message)}`);
}

/**
 * `crossdock promote flows/processes/<id>.process.json --to <env>`: validates the file against
 * the flows beside it and the target's connections, asks the target to check it against the
 * flows it runs (dry run), then publishes it with the flows' audit record. Exit 0 when
 * published (or pending approval, or unchanged), 1 when refused.
 */
export async function promoteProcessFile(
  file: string,
  environment: Environment,
  client: RuntimeClient,
  options: PromoteProcessOptions,
): Promise<number> {
  const { write } = options;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`No such process file: ${displayPath(file)}`);
  }
  const loaded = loadProcess(text, {
    flows: await readFlows(path.dirname(path.dirname(file))),
    catalog,
    environment,
    expectedId: path.basename(file, PROCESS_SUFFIX),
  });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.process || errors.length > 0) {
    for (const d of errors) write(`${formatDiagnostic(displayPath(file), d)}\n`);
    write(`refused: ${displayPath(file)} has errors.\n`);
    return 1;
  }
  const process = loaded.process;
  const request = {
    process,
    from: options.from,
    ...(options.commit ? { commit: options.commit } : {}),
  };
  const check = await client.request('POST', '/promotions', { ...request, dryRun: true });
  if (check.status !== 200) {
    write(`refused: ${apiErrorMessage(check)}\n`);
    for (const line of refusedDiagnostics(check.body)) write(`${line}\n`);
    return 1;
  }
  const body = isJsonObject(check.body) ? check.body : {};
  const current = isJsonObject(body.current) ? body.current : undefined;
  write(
    current
      ? `${options.to} observes process ${process.id}@${String(current.version)}; promoting ${process.version}.\n`
      : `process ${process.id} is new in ${options.to}.\n`,
  );
  if (body.status === 'unchanged') {
    write(`process ${process.id}@${process.version} is already deployed in ${options.to}.\n`);
    return 0;
  }
  if (options.dryRun) {
    write(`dry run: process ${process.id}@${process.version} can be promoted to ${options.to}.\n`);
    return 0;
  }
  const answer = await client.request('POST', '/promotions', request);
  if (answer.status !== 201 && answer.status !== 202) {
    write(`refused: ${apiErrorMessage(answer)}\n`);
    return 1;
  }
  const promotion = isJsonObject(answer.body) ? answer.body.promotion : undefined;
  const id = isJsonObject(promotion) && typeof promotion.id === 'string' ? promotion.id : '?';
  write(
    answer.status === 202
      ? `pending: promotion ${id} of process ${process.id}@${process.version} to ${options.to} waits for another admin: crossdock promote --to ${options.to} --approve ${id}\n`
      : `published: process ${process.id}@${process.version} in ${options.to} (promotion ${id})\n`,
  );
  return 0;
}
