import { type ConnectionKind, connectionKinds } from '../sdk/connections';
import { CROSSDOCK_OPERATIONS, JSON_LOGIC_OPERATIONS } from '../sdk/expressions/operations';
import { isJsonObject, type JsonObject, type JsonValue } from '../sdk/json';
import { NODE_CATEGORIES, type NodeCategory, type NodeManifest } from '../sdk/manifest';

/** A node type in one line: what `crossdock nodes --json` prints. */
export interface NodeSummary {
  type: string;
  category: NodeCategory;
  title: string;
  description: string;
  inputs: string[];
  outputs: string[];
  /** Output ports named by the config (e.g. a switch's cases). */
  dynamicOutputs?: { from: string; key: string };
  sideEffects: boolean;
  /** System roles a connection must have. */
  systems?: string[];
}

/** An example run as the reference shows it (the node samples). */
export interface ReferenceSample {
  name: string;
  description: string;
  config: JsonObject;
  input: JsonValue;
  expected: unknown;
  /** The system of the connection the sample calls (a test server that echoes the request). */
  connectionSystem?: string;
}

/** The summary of each node type, in catalog order; every node also has an `error` output. */
export function summarizeNodes(manifests: readonly NodeManifest[]): NodeSummary[] {
  return manifests.map((m) => ({
    type: m.type,
    category: m.category,
    title: m.title,
    description: m.description,
    inputs: m.inputs.map((p) => p.id),
    outputs: [...m.outputs.map((p) => p.id), 'error'],
    ...(m.dynamicOutputs
      ? { dynamicOutputs: { from: m.dynamicOutputs.from, key: m.dynamicOutputs.key } }
      : {}),
    sideEffects: m.sideEffects,
    ...(m.connection?.systems ? { systems: [...m.connection.systems] } : {}),
  }));
}

const CATEGORY_TITLES: Readonly<Record<NodeCategory, string>> = {
  trigger: 'Triggers',
  connector: 'Connectors',
  mapping: 'Mapping',
  rule: 'Rules',
  exception: 'Exceptions',
  flow: 'Flow control',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeOf(schema: JsonObject): string {
  if (schema['x-expression'] === true) return 'expression';
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  if (typeof schema.type === 'string') {
    if (schema.type === 'array' && isJsonObject(schema.items))
      return `array of ${typeOf(schema.items)}`;
    if (typeof schema.format === 'string') return `${schema.type} (${schema.format})`;
    return schema.type;
  }
  return 'any';
}

function configTable(manifest: NodeManifest): string[] {
  const schema = manifest.configSchema;
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const names = Object.keys(props);
  if (names.length === 0) return ['No configuration.'];
  const rows = names.map((name) => {
    const p = props[name];
    const prop = isJsonObject(p) ? p : {};
    const def = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
    const description = typeof prop.description === 'string' ? prop.description : '';
    return `| \`${name}\` | ${cell(typeOf(prop))} | ${required.includes(name) ? 'yes' : ''} | ${cell(def)} | ${cell(description)} |`;
  });
  return ['| field | type | required | default | description |', '|---|---|---|---|---|', ...rows];
}

function authTypes(schema: JsonObject): string {
  const auth = isJsonObject(schema.auth) ? schema.auth : {};
  const options = Array.isArray(auth.oneOf) ? auth.oneOf : [auth];
  return options
    .map((o) => {
      const props = isJsonObject(o) && isJsonObject(o.properties) ? o.properties : {};
      const type = isJsonObject(props.type) ? props.type.const : undefined;
      const secrets = Object.keys(props).filter((k) => k.endsWith('Secret'));
      return typeof type === 'string'
        ? `\`${type}\`${secrets.length > 0 ? ` (${secrets.map((s) => `\`${s}\``).join(', ')})` : ''}`
        : '';
    })
    .filter((t) => t !== '')
    .join('; ');
}

/** Every connection kind: its fields in the environment file, its auth, and the nodes using it. */
function connectionKindsSection(manifests: readonly NodeManifest[]): string[] {
  const out = [
    '## Connection kinds',
    '',
    'A connection in `flows/environments/<name>.json` has a `kind` (`http` when absent). Secrets are named, never written: `...Secret` fields hold the name of an environment variable or secrets-file entry. `tls` (brokers, databases) turns TLS on with certificate checks: `caSecret`, a client certificate `certSecret` + `keySecret` (+ `passphraseSecret`) as PEM, `serverName`. Every kind is reached only at public addresses unless `allowPrivateNetwork` is true, and `rateLimit` counts each request, publish or query across all workers.',
    '',
  ];
  for (const spec of connectionKinds) {
    const schema = spec.schema as JsonObject;
    const props = isJsonObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    const users = manifests
      .filter(
        (m) =>
          m.connection && (m.connection.kinds ?? ['http']).includes(spec.kind as ConnectionKind),
      )
      .map((m) => `\`${m.type}\``);
    out.push(`### ${spec.kind}`, '', `**${spec.title}**.`, '');
    const port = spec.defaultPort?.({ tls: undefined } as never);
    if (port !== undefined) out.push(`Default port ${port}.`, '');
    out.push(`Auth: ${authTypes(props)}.`, '');
    out.push(`Nodes: ${users.length > 0 ? users.join(', ') : 'none yet'}.`, '');
    out.push('| field | type | required | description |', '|---|---|---|---|');
    for (const [name, p] of Object.entries(props)) {
      if (name === 'auth') continue;
      const prop = isJsonObject(p) ? p : {};
      const description = typeof prop.description === 'string' ? prop.description : '';
      const type =
        isJsonObject(prop) && prop.const !== undefined
          ? `\`${JSON.stringify(prop.const)}\``
          : typeOf(prop);
      out.push(
        `| \`${name}\` | ${cell(type)} | ${required.includes(name) ? 'yes' : ''} | ${cell(description)} |`,
      );
    }
    out.push('');
  }
  return out;
}

function portList(manifest: NodeManifest): string[] {
  const lines: string[] = [];
  const port = (p: { id: string; label: string; description?: string }) =>
    `\`${p.id}\` (${p.label})${p.description ? `: ${p.description}` : ''}`;
  lines.push(
    `- Inputs: ${manifest.inputs.length ? manifest.inputs.map(port).join('; ') : 'none (starts runs)'}`,
  );
  const outputs = manifest.outputs.map(port);
  if (manifest.dynamicOutputs) {
    outputs.push(
      `one port per \`${manifest.dynamicOutputs.from}[].${manifest.dynamicOutputs.key}\``,
    );
  }
  outputs.push('`error`: taken when the node fails after its last attempt');
  lines.push(`- Outputs: ${outputs.join('; ')}`);
  const facts: string[] = [];
  if (manifest.sideEffects) facts.push('has side effects (sends an idempotency key)');
  if (manifest.connection) {
    const systems = manifest.connection.systems;
    facts.push(
      systems
        ? `needs a connection of system ${systems.map((s) => `\`${s}\``).join(' or ')}`
        : 'needs a connection',
    );
  }
  if (manifest.retry?.maxAttempts)
    facts.push(`retries up to ${manifest.retry.maxAttempts} attempts by default`);
  if (facts.length) lines.push(`- ${facts.join('; ')}`);
  return lines;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function sampleSection(sample: ReferenceSample): string[] {
  return [
    `**Sample \`${sample.name}\`**${sample.description ? `: ${sample.description}` : ''}`,
    '',
    ...(sample.connectionSystem
      ? [
          `Run against a test \`${sample.connectionSystem}\` connection whose base URL ends in \`/api\` and that answers with the request it received.`,
          '',
        ]
      : []),
    'Config:',
    '```json',
    json(sample.config),
    '```',
    'Input:',
    '```json',
    json(sample.input),
    '```',
    'Result:',
    '```json',
    json(sample.expected),
    '```',
    '',
  ];
}

/** How a new connection kind is added: the files, with SFTP as the example. */
function addingTransportSection(): string[] {
  return [
    '## Adding a transport',
    '',
    'A connection kind is one adapter plus its nodes, and one registration line in each list that names every kind, node or executor. With SFTP as the example:',
    '',
    '| file | what it holds |',
    '|---|---|',
    '| `nodes/src/sdk/connections/sftp.ts` | the kind: its environment-file schema, auth, default port, secret names (this page and `flows/environments/environment.schema.json` are generated from it) |',
    "| `nodes/src/sdk/connections/sftp-capability.ts` | the capability a step gets from `ctx.transport('sftp')` |",
    '| `nodes/src/sdk/connections/index.ts` | registration: `sftpKind` in `connectionKinds`, `SftpConnection` in the `Connection` union, `sftp: SftpCapability` in `TransportCapabilities` |',
    '| `nodes/src/testing/fake-transports.ts` | the fake capability executor tests use |',
    '| `nodes/src/library/connector/sftp/put/`, `get/`, `nodes/src/library/trigger/sftp/` | the nodes: `manifest.ts`, `execute.ts`, `samples/*.json` each |',
    '| `nodes/src/library/manifests.ts`, `nodes/src/executors.ts` | registration: one line per node in each |',
    '| `runtime/src/transports/sftp.ts` | the adapter: opens the pooled client and says what a safe test run answers instead of sending |',
    '| `runtime/src/transports/registry.ts` | registration: `sftp: { adapter: sftpAdapter }` in `transportKinds` (with `triggers: [...]` for a kind that consumes, as `runtime/src/transports/triggers/amqp.ts` does) |',
    '',
    "The foundation applies the network guard, the rate limit, the step's abort signal, pooling, closing on shutdown and the capability (`NodeContext.transport`) to every kind; the type of `transportKinds` makes a kind without its adapter a compile error. Then `pnpm crossdock schema` and `pnpm crossdock docs` regenerate the environment schema and this page, and `test/transports/` gets the kind's tests against the real server. A trigger that polls instead of consuming (SFTP's folder trigger) needs its scheduler as well: `runtime/src/transports/sftp-trigger.ts`, its wiring in `runtime/src/runtime.ts` and its claim key in `runtime/src/store/keys.ts`.",
    '',
  ];
}

function operationsSection(): string[] {
  return [
    '## Expression operations',
    '',
    `json-logic operations: ${JSON_LOGIC_OPERATIONS.map((o) => `\`${o}\``).join(', ')}. \`var\` reads own properties only, never \`__proto__\`, \`constructor\` or \`prototype\`; rules are limited in depth and size. Crossdock adds:`,
    '',
    '| operation | what it does | example | gives |',
    '|---|---|---|---|',
    ...CROSSDOCK_OPERATIONS.map(
      (op) =>
        `| \`${op.name}\` | ${cell(op.description)} | \`${cell(JSON.stringify(op.example.rule))}\`${op.example.data === null ? '' : ` on \`${cell(JSON.stringify(op.example.data))}\``} | \`${cell(JSON.stringify(op.example.result))}\` |`,
    ),
    '',
  ];
}

/**
 * The node reference an analyst reads: each node's purpose, ports, config fields, docs and
 * samples, generated from the manifests so it cannot drift from the code.
 */
export function renderNodeReference(
  manifests: readonly NodeManifest[],
  samples: Readonly<Record<string, readonly ReferenceSample[]>>,
): string {
  const out: string[] = [
    '# Node reference',
    '',
    '<!-- Generated from the node manifests and samples by `pnpm crossdock docs`; do not edit. -->',
    '',
    'Every node also has an `error` output port: after its last attempt a failure leaves there as `{"error": {name, errorClass, code, message, retryable, retryAfterMs?, details?}, "input": <message>, "nodeId": "<id>"}` when the port is connected; otherwise the run fails into the exception queue. Fields marked `expression` hold json-logic; the operations they may use are listed [at the end](#expression-operations).',
    '',
  ];
  for (const category of NODE_CATEGORIES) {
    const inCategory = manifests.filter((m) => m.category === category);
    if (inCategory.length === 0) continue;
    out.push(`## ${CATEGORY_TITLES[category]}`, '');
    for (const m of inCategory)
      out.push(`- [${m.title}](#${m.type.replace(/\./g, '')}) \`${m.type}\`: ${m.description}`);
    out.push('');
    for (const m of inCategory) {
      out.push(
        `### ${m.type}`,
        '',
        `**${m.title}**: ${m.description}`,
        '',
        ...portList(m),
        '',
        m.docs,
        '',
        '#### Config',
        '',
        ...configTable(m),
        '',
      );
      const own = samples[m.type] ?? [];
      if (own.length > 0) out.push('#### Samples', '', ...own.flatMap(sampleSection));
    }
  }
  out.push(...connectionKindsSection(manifests));
  out.push(...addingTransportSection());
  out.push(...operationsSection());
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
