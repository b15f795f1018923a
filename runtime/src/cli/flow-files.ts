import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Catalog,
  type Environment,
  type FlowDocument,
  hasErrors,
  loadFlow,
} from '@crossdock/nodes';
import { formatDiagnostic } from './commands/validate';
import { displayPath, FLOW_SUFFIX, UsageError, userCwd } from './files';

/** A flow argument: a file path, or an id meaning `<flows dir>/<id>.flow.json`. */
export function flowFilePath(arg: string, flowsDir: string): string {
  return arg.endsWith('.json')
    ? path.resolve(userCwd(), arg)
    : path.join(flowsDir, `${arg}${FLOW_SUFFIX}`);
}

/** Reads and validates a flow file; a file with errors is refused with its diagnostics. */
export async function readValidFlow(
  file: string,
  catalog: Catalog,
  environment?: Environment,
): Promise<FlowDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`No such flow file: ${displayPath(file)}`);
  }
  const loaded = loadFlow(text, catalog, {
    ...(environment ? { environment } : {}),
    ...(file.endsWith(FLOW_SUFFIX) ? { expectedId: path.basename(file, FLOW_SUFFIX) } : {}),
  });
  if (!loaded.flow || hasErrors(loaded.diagnostics)) {
    const lines = loaded.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(displayPath(file), d));
    throw new Error(`${displayPath(file)} has errors:\n${lines.join('\n')}`);
  }
  return loaded.flow;
}
