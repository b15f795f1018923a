import {
  type Catalog,
  type Diagnostic,
  type Environment,
  type FlowDocument,
  hasErrors,
  isJsonObject,
  type ProcessDocument,
  validateProcess,
} from '@crossdock/nodes';
import type { FlowStore } from '../store/flow-store';

/** What a deploy checks a process against: the flows this runtime has deployed, its connections. */
export interface ProcessCheckDeps {
  flows: Pick<FlowStore, 'latest'>;
  catalog: Catalog;
  environment: Environment;
}

export type ProcessCheck =
  | { process: ProcessDocument; diagnostics: Diagnostic[] }
  | { process: undefined; diagnostics: Diagnostic[] };

/** The flow ids a process document names (observed or started), read defensively. */
function namedFlows(doc: unknown): string[] {
  if (!isJsonObject(doc)) return [];
  const ids = new Set<string>();
  const milestones = Array.isArray(doc.milestones) ? doc.milestones : [];
  for (const m of milestones) {
    if (!isJsonObject(m) || !Array.isArray(m.on)) continue;
    for (const s of m.on) if (isJsonObject(s) && typeof s.flow === 'string') ids.add(s.flow);
  }
  const expectations = Array.isArray(doc.expectations) ? doc.expectations : [];
  for (const x of expectations) {
    const flow = isJsonObject(x) && isJsonObject(x.escalation) ? x.escalation.flow : undefined;
    if (typeof flow === 'string') ids.add(flow);
  }
  return [...ids];
}

/**
 * Validates a process document before it is deployed here, with the same validator as the CLI
 * and the designer, against the active versions of the flows it names (an unknown flow, node or
 * port is an error: the process would observe nothing) and this environment's connections.
 */
export async function checkDeployableProcess(
  deps: ProcessCheckDeps,
  doc: unknown,
  expectedId?: string,
): Promise<ProcessCheck> {
  const flows: FlowDocument[] = [];
  for (const id of namedFlows(doc)) {
    const active = await deps.flows.latest(id);
    if (active) flows.push(active.flow);
  }
  const diagnostics = validateProcess(doc, {
    ...(expectedId !== undefined ? { expectedId } : {}),
    flows,
    catalog: deps.catalog,
    environment: deps.environment,
  });
  return hasErrors(diagnostics)
    ? { process: undefined, diagnostics }
    : { process: doc as ProcessDocument, diagnostics };
}
