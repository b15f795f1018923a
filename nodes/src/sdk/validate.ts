import type { Catalog } from './catalog';
import { connectionKind } from './connections';
import { type Diagnostic, diagnostic } from './diagnostics';
import type { Environment } from './environment';
import { findExpressions } from './expression-fields';
import { checkExpression } from './expressions/check';
import { flowSchema } from './flow-schema';
import { isJsonObject, type JsonObject, type JsonPath } from './json';
import { type NodeManifest, outputPorts } from './manifest';
import { checkSchema } from './schema-check';
import { checkWebhooks } from './webhook-checks';

export interface ValidateOptions {
  /** Check connector nodes against this environment's connections. */
  environment?: Environment;
  /** The id the file name implies (`<id>.flow.json`); a different `id` is an error. */
  expectedId?: string;
}

interface NodeRef {
  index: number;
  id: string;
  type: string;
  config: JsonObject;
  manifest: NodeManifest | undefined;
}

interface EdgeRef {
  index: number;
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nodeIdAt(doc: JsonObject, pointer: JsonPath): { nodeId?: string; edgeId?: string } {
  const [head, index] = pointer;
  if (typeof index !== 'number') return {};
  const list = doc[head as string];
  if (!Array.isArray(list)) return {};
  const item = list[index];
  const id = isJsonObject(item) ? str(item.id) : undefined;
  if (head === 'nodes') return { nodeId: id };
  if (head === 'edges') return { edgeId: id };
  return {};
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function suggest(type: string, catalog: Catalog): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const m of catalog.list()) {
    const d = distance(type, m.type);
    if (d < bestDistance) {
      best = m.type;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= 3 ? ` Did you mean "${best}"?` : '';
}

/**
 * Validates a flow document: schema, ids, node types and configs, ports, the graph, expressions
 * and (given an environment) connections. Never throws, whatever `doc` is; the same function runs
 * in the designer, the CLI and the runtime before a deploy.
 */
export function validateFlow(
  doc: unknown,
  catalog: Catalog,
  options: ValidateOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isJsonObject(doc)) {
    out.push(diagnostic('error', 'schema.invalid', 'A flow file must hold a JSON object.', []));
    return out;
  }

  for (const p of checkSchema(flowSchema, doc)) {
    out.push(diagnostic('error', 'schema.invalid', p.message, p.pointer, nodeIdAt(doc, p.pointer)));
  }

  if (
    options.expectedId !== undefined &&
    typeof doc.id === 'string' &&
    doc.id !== options.expectedId
  ) {
    out.push(
      diagnostic(
        'error',
        'flow.id-mismatch',
        `The flow id "${doc.id}" does not match its file name; name the file "${doc.id}.flow.json" or change the id to "${options.expectedId}".`,
        ['id'],
      ),
    );
  }

  const nodes = collectNodes(doc, catalog, out);
  const edges = collectEdges(doc, out);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  checkConfigs(nodes, out);
  checkSettingsExpressions(doc, out);
  checkEdges(edges, byId, out);
  const triggers = checkTriggers(nodes, edges, out);
  checkReachability(nodes, edges, triggers, out);
  checkCycles(nodes, edges, byId, out);
  if (options.environment) checkConnections(nodes, options.environment, out);
  checkWebhooks(doc, nodes, options.environment, out);
  return out;
}

function collectNodes(doc: JsonObject, catalog: Catalog, out: Diagnostic[]): NodeRef[] {
  const raw = Array.isArray(doc.nodes) ? doc.nodes : [];
  const seen = new Set<string>();
  const nodes: NodeRef[] = [];
  raw.forEach((n, index) => {
    if (!isJsonObject(n)) return;
    const id = str(n.id);
    const type = str(n.type);
    if (id === undefined || type === undefined) return;
    if (seen.has(id)) {
      out.push(
        diagnostic(
          'error',
          'node.duplicate-id',
          `Another node already has the id "${id}"; node ids must be unique.`,
          ['nodes', index, 'id'],
          { nodeId: id },
        ),
      );
      return;
    }
    seen.add(id);
    const manifest = catalog.get(type);
    if (!manifest) {
      out.push(
        diagnostic(
          'error',
          'node.unknown-type',
          `Node "${str(n.name) ?? id}" has the unknown type "${type}".${suggest(type, catalog)}`,
          ['nodes', index, 'type'],
          { nodeId: id },
        ),
      );
    }
    nodes.push({ index, id, type, config: isJsonObject(n.config) ? n.config : {}, manifest });
  });
  return nodes;
}

function collectEdges(doc: JsonObject, out: Diagnostic[]): EdgeRef[] {
  const raw = Array.isArray(doc.edges) ? doc.edges : [];
  const seen = new Set<string>();
  const edges: EdgeRef[] = [];
  raw.forEach((e, index) => {
    if (!isJsonObject(e)) return;
    const id = str(e.id);
    const source = str(e.source);
    const target = str(e.target);
    if (id === undefined || source === undefined || target === undefined) return;
    if (seen.has(id)) {
      out.push(
        diagnostic(
          'error',
          'edge.duplicate-id',
          `Another edge already has the id "${id}"; edge ids must be unique.`,
          ['edges', index, 'id'],
          { edgeId: id },
        ),
      );
      return;
    }
    seen.add(id);
    edges.push({
      index,
      id,
      source,
      target,
      sourcePort: str(e.sourcePort) ?? '',
      targetPort: str(e.targetPort) ?? '',
    });
  });
  return edges;
}

function checkConfigs(nodes: NodeRef[], out: Diagnostic[]): void {
  for (const n of nodes) {
    if (!n.manifest) continue;
    const base: JsonPath = ['nodes', n.index, 'config'];
    for (const p of checkSchema(n.manifest.configSchema, n.config)) {
      const field = p.pointer.length > 0 ? ` Field "${p.pointer.join('.')}": ` : ' ';
      out.push(
        diagnostic(
          'error',
          'node.config-invalid',
          `${n.manifest.title} "${n.id}":${field}${p.message}`,
          [...base, ...p.pointer],
          {
            nodeId: n.id,
          },
        ),
      );
    }
    for (const field of findExpressions(n.manifest.configSchema, n.config)) {
      for (const p of checkExpression(field.value)) {
        out.push(
          diagnostic(
            'error',
            p.code,
            `${n.manifest.title} "${n.id}": ${p.message}`,
            [...base, ...field.pointer, ...p.at],
            {
              nodeId: n.id,
            },
          ),
        );
      }
    }
  }
}

function checkSettingsExpressions(doc: JsonObject, out: Diagnostic[]): void {
  const settings = isJsonObject(doc.settings) ? doc.settings : {};
  const fields: { pointer: JsonPath; value: unknown; label: string }[] = [];
  if (settings.idempotencyKey !== undefined) {
    fields.push({
      pointer: ['settings', 'idempotencyKey'],
      value: settings.idempotencyKey,
      label: 'The idempotency key',
    });
  }
  if (isJsonObject(settings.businessKeys)) {
    for (const [name, value] of Object.entries(settings.businessKeys)) {
      fields.push({
        pointer: ['settings', 'businessKeys', name],
        value,
        label: `The business key "${name}"`,
      });
    }
  }
  for (const f of fields) {
    for (const p of checkExpression(f.value)) {
      out.push(diagnostic('error', p.code, `${f.label}: ${p.message}`, [...f.pointer, ...p.at]));
    }
  }
}

function checkEdges(edges: EdgeRef[], byId: Map<string, NodeRef>, out: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const e of edges) {
    const at = (field: string): JsonPath => ['edges', e.index, field];
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!source) {
      out.push(
        diagnostic(
          'error',
          'edge.missing-node',
          `Edge "${e.id}" starts at node "${e.source}", which does not exist.`,
          at('source'),
          {
            edgeId: e.id,
          },
        ),
      );
    }
    if (!target) {
      out.push(
        diagnostic(
          'error',
          'edge.missing-node',
          `Edge "${e.id}" leads to node "${e.target}", which does not exist.`,
          at('target'),
          {
            edgeId: e.id,
          },
        ),
      );
    }
    if (source?.manifest) {
      const ports = outputPorts(source.manifest, source.config);
      if (!ports.some((p) => p.id === e.sourcePort)) {
        out.push(
          diagnostic(
            'error',
            'edge.unknown-port',
            `Edge "${e.id}" leaves node "${e.source}" by port "${e.sourcePort}", which ${source.manifest.title} does not have (it has: ${ports.map((p) => p.id).join(', ')}).`,
            at('sourcePort'),
            { edgeId: e.id, nodeId: e.source },
          ),
        );
      }
    }
    if (target?.manifest) {
      const ports = target.manifest.inputs;
      if (!ports.some((p) => p.id === e.targetPort)) {
        const has =
          ports.length === 0 ? 'it has no input' : `it has: ${ports.map((p) => p.id).join(', ')}`;
        out.push(
          diagnostic(
            'error',
            'edge.unknown-port',
            `Edge "${e.id}" enters node "${e.target}" by port "${e.targetPort}", which ${target.manifest.title} does not have (${has}).`,
            at('targetPort'),
            { edgeId: e.id, nodeId: e.target },
          ),
        );
      }
    }
    const key = `${e.source}\u0000${e.sourcePort}\u0000${e.target}\u0000${e.targetPort}`;
    if (seen.has(key)) {
      out.push(
        diagnostic(
          'warning',
          'edge.duplicate',
          `Edge "${e.id}" repeats another edge between the same ports; messages would be delivered twice.`,
          ['edges', e.index],
          { edgeId: e.id },
        ),
      );
    }
    seen.add(key);
  }
}

function checkTriggers(nodes: NodeRef[], edges: EdgeRef[], out: Diagnostic[]): NodeRef[] {
  const triggers = nodes.filter((n) => n.manifest?.category === 'trigger');
  if (triggers.length === 0 && nodes.every((n) => n.manifest)) {
    out.push(
      diagnostic(
        'error',
        'trigger.missing',
        'The flow has no trigger; add a webhook, schedule or manual trigger.',
        ['nodes'],
      ),
    );
  }
  for (const extra of triggers.slice(1)) {
    out.push(
      diagnostic(
        'error',
        'trigger.multiple',
        `The flow has more than one trigger ("${triggers[0]?.id}" and "${extra.id}"); a flow starts from exactly one trigger. Split it into two flows.`,
        ['nodes', extra.index],
        { nodeId: extra.id },
      ),
    );
  }
  const triggerIds = new Set(triggers.map((t) => t.id));
  for (const e of edges) {
    if (triggerIds.has(e.target)) {
      out.push(
        diagnostic(
          'error',
          'trigger.has-input',
          `Edge "${e.id}" leads into trigger "${e.target}"; a trigger starts the flow and takes no input.`,
          ['edges', e.index, 'target'],
          { edgeId: e.id, nodeId: e.target },
        ),
      );
    }
  }
  return triggers;
}

function adjacency(edges: EdgeRef[]): Map<string, EdgeRef[]> {
  const next = new Map<string, EdgeRef[]>();
  for (const e of edges) {
    const list = next.get(e.source) ?? [];
    list.push(e);
    next.set(e.source, list);
  }
  return next;
}

function checkReachability(
  nodes: NodeRef[],
  edges: EdgeRef[],
  triggers: NodeRef[],
  out: Diagnostic[],
): void {
  const first = triggers[0];
  if (!first) return;
  const next = adjacency(edges);
  const reached = new Set([first.id]);
  const queue = [first.id];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of next.get(id) ?? []) {
      if (!reached.has(e.target)) {
        reached.add(e.target);
        queue.push(e.target);
      }
    }
  }
  for (const n of nodes) {
    if (reached.has(n.id) || n.manifest?.category === 'trigger') continue;
    out.push(
      diagnostic(
        'warning',
        'node.unreachable',
        `Node "${n.id}" cannot be reached from the trigger, so it never runs. Connect it or remove it.`,
        ['nodes', n.index],
        { nodeId: n.id },
      ),
    );
  }
}

function checkCycles(
  nodes: NodeRef[],
  edges: EdgeRef[],
  byId: Map<string, NodeRef>,
  out: Diagnostic[],
): void {
  const next = adjacency(edges.filter((e) => byId.has(e.source) && byId.has(e.target)));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  // Iterative DFS: a generated flow may be deep enough to overflow recursion.
  for (const start of nodes) {
    if (state.has(start.id)) continue;
    const frames: { id: string; i: number }[] = [{ id: start.id, i: 0 }];
    state.set(start.id, 'active');
    stack.push(start.id);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; i: number };
      const outgoing = next.get(frame.id) ?? [];
      if (frame.i >= outgoing.length) {
        state.set(frame.id, 'done');
        stack.pop();
        frames.pop();
        continue;
      }
      const e = outgoing[frame.i++] as EdgeRef;
      const s = state.get(e.target);
      if (s === 'active') {
        const cycle = stack.slice(stack.indexOf(e.target));
        const allowed = cycle.some((id) => byId.get(id)?.manifest?.mayLoop === true);
        if (!allowed) {
          out.push(
            diagnostic(
              'error',
              'graph.cycle',
              `Edge "${e.id}" closes a loop (${[...cycle, e.target].join(' → ')}); a message would circle for ever. Remove the edge, or loop through a node that allows it.`,
              ['edges', e.index],
              { edgeId: e.id, nodeId: e.target },
            ),
          );
        }
      } else if (s === undefined) {
        state.set(e.target, 'active');
        stack.push(e.target);
        frames.push({ id: e.target, i: 0 });
      }
    }
  }
}

function checkConnections(nodes: NodeRef[], environment: Environment, out: Diagnostic[]): void {
  for (const n of nodes) {
    const needs = n.manifest?.connection;
    if (!needs) continue;
    const name = n.config.connection;
    if (typeof name !== 'string') continue;
    const connection = environment.connections[name];
    const at: JsonPath = ['nodes', n.index, 'config', 'connection'];
    if (!connection || !Object.hasOwn(environment.connections, name)) {
      const known = Object.keys(environment.connections);
      out.push(
        diagnostic(
          'error',
          'connection.missing',
          `Node "${n.id}" uses the connection "${name}", which the "${environment.name}" environment does not define (it has: ${known.join(', ') || 'none'}).`,
          at,
          { nodeId: n.id },
        ),
      );
      continue;
    }
    const kinds = needs.kinds ?? ['http'];
    if (!kinds.includes(connectionKind(connection))) {
      out.push(
        diagnostic(
          'error',
          'connection.wrong-kind',
          `Node "${n.id}" needs a connection of kind ${kinds.join(' or ')}, but "${name}" in "${environment.name}" is of kind ${connectionKind(connection)}.`,
          at,
          { nodeId: n.id },
        ),
      );
      continue;
    }
    if (needs.systems && !needs.systems.includes(connection.system)) {
      out.push(
        diagnostic(
          'error',
          'connection.wrong-system',
          `Node "${n.id}" needs a ${needs.systems.join(' or ')} connection, but "${name}" in "${environment.name}" is a ${connection.system} system.`,
          at,
          { nodeId: n.id },
        ),
      );
    }
  }
}
