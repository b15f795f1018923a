import type { Catalog } from '../catalog';
import { type Diagnostic, diagnostic } from '../diagnostics';
import type { Environment } from '../environment';
import { checkExpression } from '../expressions/check';
import type { FlowDocument } from '../flow-types';
import { isJsonObject, type JsonObject, type JsonPath } from '../json';
import { outputPorts } from '../manifest';
import { checkSchema } from '../schema-check';
import { durationMs } from './duration';
import { processSchema } from './process-schema';

export interface ProcessValidateOptions {
  /** The id the file name implies (`<id>.process.json`). */
  expectedId?: string;
  /** The flows the process observes; given, references to unknown flows and nodes are errors. */
  flows?: readonly FlowDocument[];
  /** With `flows`: ports are checked against the node types. */
  catalog?: Catalog;
  /** Escalation webhooks must name one of its connections. */
  environment?: Environment;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/**
 * Validates a business process document: schema, unique ids, milestone references, durations,
 * expressions and (given the flows) the flows, nodes and ports it observes. Never throws; the
 * same function runs in the designer, the CLI and the runtime.
 */
export function validateProcess(doc: unknown, options: ProcessValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isJsonObject(doc)) {
    out.push(diagnostic('error', 'schema.invalid', 'A process file must hold a JSON object.', []));
    return out;
  }
  for (const p of checkSchema(processSchema, doc)) {
    out.push(diagnostic('error', 'schema.invalid', p.message, p.pointer));
  }
  const id = str(doc.id);
  if (options.expectedId !== undefined && id !== undefined && id !== options.expectedId) {
    out.push(
      diagnostic(
        'error',
        'process.id-mismatch',
        `The process id "${id}" does not match its file name; name the file "${id}.process.json" or change the id to "${options.expectedId}".`,
        ['id'],
      ),
    );
  }
  const milestones = list(doc.milestones);
  const milestoneIds = uniqueIds(milestones, 'milestones', 'milestone', out);
  const expectationIds = uniqueIds(list(doc.expectations), 'expectations', 'expectation', out);
  const checkIds = uniqueIds(list(doc.checks), 'checks', 'check', out);
  uniqueIds(list(doc.indicators), 'indicators', 'indicator', out);
  list(doc.indicators).forEach((indicator, i) => {
    const refs = [
      ['stage', milestoneIds, 'milestone'],
      ['expectation', expectationIds, 'expectation'],
      ['check', checkIds, 'check'],
    ] as const;
    for (const [field, ids, what] of refs) {
      const ref = str(indicator[field]);
      if (ref !== undefined && !ids.has(ref)) {
        out.push(
          diagnostic(
            'error',
            'process.unknown-reference',
            `Indicator "${str(indicator.name)}" counts ${what} "${ref}", which this process does not define.`,
            ['indicators', i, field],
          ),
        );
      }
    }
  });
  const flows = options.flows ? new Map(options.flows.map((f) => [f.id, f])) : undefined;
  const businessKey = str(doc.businessKey);

  milestones.forEach((m, i) => {
    for (const field of ['when', 'key', 'occurredAt'] as const) {
      if (m[field] !== undefined) expression(m[field], ['milestones', i, field], out);
    }
    if (isJsonObject(m.attributes)) {
      for (const [name, expr] of Object.entries(m.attributes))
        expression(expr, ['milestones', i, 'attributes', name], out);
    }
    list(m.on).forEach((source, j) => {
      if ((source.node === undefined) === (source.runStatus === undefined)) {
        out.push(
          diagnostic(
            'error',
            'schema.invalid',
            'Name either a "node" (its step succeeded) or a "runStatus" (a run ended so), not both or neither.',
            ['milestones', i, 'on', j],
          ),
        );
      }
      if (flows) checkSource(source, ['milestones', i, 'on', j], flows, options.catalog, out);
      const flow = flows?.get(str(source.flow) ?? '');
      if (flow && m.key === undefined && businessKey !== undefined) {
        if (!flow.settings.businessKeys || !(businessKey in flow.settings.businessKeys)) {
          out.push(
            diagnostic(
              'error',
              'process.business-key',
              `Flow "${flow.id}" records no business key "${businessKey}"; give milestone "${str(m.id)}" a "key" expression, or add "${businessKey}" to the flow's settings.businessKeys.`,
              ['milestones', i, 'on', j, 'flow'],
            ),
          );
        }
      }
    });
  });

  list(doc.expectations).forEach((e, i) => {
    for (const field of ['after', 'expect'] as const) {
      refersTo(e[field], milestoneIds, ['expectations', i, field], out);
    }
    if (Array.isArray(e.unless)) {
      e.unless.forEach((u, j) => {
        refersTo(u, milestoneIds, ['expectations', i, 'unless', j], out);
      });
    }
    if (e.after !== undefined && e.after === e.expect) {
      out.push(
        diagnostic(
          'error',
          'process.unknown-milestone',
          `Expectation "${str(e.name)}" expects the milestone that opens it; "expect" must name another milestone.`,
          ['expectations', i, 'expect'],
        ),
      );
    }
    const within = str(e.within);
    if (within !== undefined && durationMs(within) === undefined) {
      out.push(
        diagnostic(
          'error',
          'process.duration',
          `"${within}" is not an ISO 8601 duration in days, hours, minutes or seconds (e.g. "PT4H", "P2D"); months and years have no fixed length.`,
          ['expectations', i, 'within'],
        ),
      );
    }
    const escalation = isJsonObject(e.escalation) ? e.escalation : undefined;
    const flow = str(escalation?.flow);
    if (flow !== undefined && flows && !flows.has(flow)) {
      out.push(unknownFlow(flow, ['expectations', i, 'escalation', 'flow']));
    }
    const notify = isJsonObject(escalation?.notify) ? escalation.notify : undefined;
    const connection = str(notify?.connection);
    if (connection !== undefined && options.environment) {
      const known = options.environment.connections[connection];
      if (!known) {
        out.push(
          diagnostic(
            'error',
            'process.unknown-connection',
            `The escalation names connection "${connection}", which environment "${options.environment.name}" does not define.`,
            ['expectations', i, 'escalation', 'notify', 'connection'],
          ),
        );
      }
    }
  });

  list(doc.checks).forEach((c, i) => {
    if (Array.isArray(c.requires)) {
      c.requires.forEach((r, j) => {
        refersTo(r, milestoneIds, ['checks', i, 'requires', j], out);
      });
    }
    if (c.rule !== undefined) expression(c.rule, ['checks', i, 'rule'], out);
  });
  // A bad duration gets the specific message above; the schema's pattern message says less.
  const durations = new Set(
    out.filter((d) => d.code === 'process.duration').map((d) => d.pointer.join('/')),
  );
  return out.filter((d) => d.code !== 'schema.invalid' || !durations.has(d.pointer.join('/')));
}

function uniqueIds(
  items: JsonObject[],
  field: string,
  what: string,
  out: Diagnostic[],
): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const id = str(item.id);
    if (id === undefined) return;
    if (seen.has(id)) {
      out.push(
        diagnostic(
          'error',
          'process.duplicate-id',
          `Another ${what} already has the id "${id}"; ids must be unique.`,
          [field, i, 'id'],
        ),
      );
    }
    seen.add(id);
  });
  return seen;
}

function refersTo(value: unknown, ids: Set<string>, pointer: JsonPath, out: Diagnostic[]): void {
  if (typeof value !== 'string' || ids.has(value)) return;
  const known = [...ids].map((id) => `"${id}"`).join(', ');
  out.push(
    diagnostic(
      'error',
      'process.unknown-milestone',
      `There is no milestone "${value}" in this process; it has ${known || 'none'}.`,
      pointer,
    ),
  );
}

function expression(value: unknown, pointer: JsonPath, out: Diagnostic[]): void {
  for (const p of checkExpression(value)) {
    out.push(diagnostic('error', p.code, p.message, [...pointer, ...p.at]));
  }
}

function unknownFlow(flow: string, pointer: JsonPath): Diagnostic {
  return diagnostic(
    'error',
    'process.unknown-flow',
    `There is no flow "${flow}"; a process can only observe or start flows that exist (in the flows folder, and deployed where the process is deployed).`,
    pointer,
  );
}

function checkSource(
  source: JsonObject,
  pointer: JsonPath,
  flows: ReadonlyMap<string, FlowDocument>,
  catalog: Catalog | undefined,
  out: Diagnostic[],
): void {
  const flowId = str(source.flow);
  if (flowId === undefined) return;
  const flow = flows.get(flowId);
  if (!flow) {
    out.push(unknownFlow(flowId, [...pointer, 'flow']));
    return;
  }
  const nodeId = str(source.node);
  if (nodeId === undefined) return;
  const node = flow.nodes.find((n) => n.id === nodeId);
  if (!node) {
    const names = flow.nodes.map((n) => `"${n.id}" (${n.name})`).join(', ');
    out.push(
      diagnostic(
        'error',
        'process.unknown-node',
        `Flow "${flowId}" has no node "${nodeId}"; its nodes are ${names}.`,
        [...pointer, 'node'],
      ),
    );
    return;
  }
  const port = str(source.port);
  const manifest = catalog?.get(node.type);
  if (port === undefined || !manifest) return;
  const ports = outputPorts(manifest, node.config).map((p) => p.id);
  if (!ports.includes(port)) {
    out.push(
      diagnostic(
        'error',
        'process.unknown-port',
        `Node "${node.name}" of flow "${flowId}" has no output port "${port}"; it has ${ports.map((p) => `"${p}"`).join(', ')}.`,
        [...pointer, 'port'],
      ),
    );
  }
}
