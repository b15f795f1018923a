import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  catalog,
  type Diagnostic,
  type Environment,
  type FlowDocument,
  hasErrors,
  loadEnvironment,
  loadFlow,
  loadPartner,
  loadProcess,
  loadReconciliation,
} from '@crossdock/nodes';
import { readEnvironment } from '../environments';
import { collectFiles, displayPath, FLOW_SUFFIX, type FoundFile, PROCESS_SUFFIX } from '../files';

export interface ValidateCommandOptions {
  env?: string;
  json?: boolean;
}

export interface FileReport {
  file: string;
  kind: FoundFile['kind'];
  diagnostics: Diagnostic[];
}

export async function validateFiles(
  found: FoundFile[],
  environment?: Environment,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const flowsByDir = new Map<string, FlowDocument[]>();
  for (const f of found) {
    const text = await readFile(f.path, 'utf8');
    if (f.kind === 'process') {
      // A process observes the flows of the folder above `processes/`.
      const dir = path.dirname(path.dirname(f.path));
      let flows = flowsByDir.get(dir);
      if (!flows) {
        flows = await readFlows(dir);
        flowsByDir.set(dir, flows);
      }
      const { diagnostics } = loadProcess(text, {
        flows,
        catalog,
        ...(environment ? { environment } : {}),
        expectedId: path.basename(f.path, PROCESS_SUFFIX),
      });
      reports.push({ file: displayPath(f.path), kind: f.kind, diagnostics });
      continue;
    }
    if (f.kind === 'reconciliation') {
      // A stream's correction flow is one of the flows of the folder above `reconciliations/`.
      const dir = path.dirname(path.dirname(f.path));
      let flows = flowsByDir.get(dir);
      if (!flows) {
        flows = await readFlows(dir);
        flowsByDir.set(dir, flows);
      }
      const { diagnostics } = loadReconciliation(text, {
        flowIds: flows.map((flow) => flow.id),
        ...(environment ? { environment } : {}),
        expectedId: path.basename(f.path, '.json'),
      });
      reports.push({ file: displayPath(f.path), kind: f.kind, diagnostics });
      continue;
    }
    const diagnostics =
      f.kind === 'flow'
        ? loadFlow(text, catalog, {
            ...(environment ? { environment } : {}),
            ...(f.path.endsWith(FLOW_SUFFIX)
              ? { expectedId: path.basename(f.path, FLOW_SUFFIX) }
              : {}),
          }).diagnostics
        : f.kind === 'partner'
          ? loadPartner(text, path.basename(f.path, '.json')).diagnostics
          : loadEnvironment(text).diagnostics;
    reports.push({ file: displayPath(f.path), kind: f.kind, diagnostics });
  }
  return reports;
}

/** The valid flows of a folder (not its subfolders): what its processes may observe. */
export async function readFlows(dir: string): Promise<FlowDocument[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) =>
    n.endsWith(FLOW_SUFFIX),
  );
  const flows: FlowDocument[] = [];
  for (const name of names.sort()) {
    const loaded = loadFlow(await readFile(path.join(dir, name), 'utf8'), catalog);
    if (loaded.flow) flows.push(loaded.flow);
  }
  return flows;
}

/** `file:line:col  severity  code  message (node id)` — the form editors and CI annotate. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = `${file}:${d.line ?? 1}:${d.column ?? 1}`;
  const ids = [d.nodeId ? `node ${d.nodeId}` : '', d.edgeId ? `edge ${d.edgeId}` : '']
    .filter(Boolean)
    .join(', ');
  return `${where}  ${d.severity}  ${d.code}  ${d.message} (${ids ? `${ids}, ` : ''}${d.path})`;
}

export async function validateCommand(
  paths: string[],
  options: ValidateCommandOptions,
): Promise<number> {
  const environment = options.env ? await readEnvironment(options.env) : undefined;
  const reports = await validateFiles(await collectFiles(paths), environment);
  const failed = reports.some((r) => hasErrors(r.diagnostics));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: !failed, files: reports }, null, 2)}\n`);
  } else {
    for (const r of reports)
      for (const d of r.diagnostics) process.stdout.write(`${formatDiagnostic(r.file, d)}\n`);
    const errors = reports.reduce(
      (n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length,
      0,
    );
    const warnings = reports.reduce(
      (n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length,
      0,
    );
    process.stderr.write(
      `${reports.length} file(s) checked${environment ? ` against environment "${environment.name}"` : ''}: ${errors} error(s), ${warnings} warning(s)\n`,
    );
  }
  return failed ? 1 : 0;
}
