import { Type } from '@sinclair/typebox';
import { type TradingPartner, tradingPartnerSchema } from '../edi/partners';
import { type Connection, connectionKinds, connectionSchema } from '../sdk/connections';
import { rateLimitSchema } from '../sdk/connections/common';
import type { NodeManifest } from '../sdk/manifest';
import { document, Json, Nullable, strict, Timestamp } from './common';

export const ConnectionKind = Type.Union(connectionKinds.map((k) => Type.Literal(k.kind)));

const endpoint = Type.String({
  description:
    'The base URL of an HTTP connection; `<kind>://host:port[/vhost or database]` for other kinds',
});

/** `GET /api/environment`: this runtime's environment and its connections (no secrets). */
export const EnvironmentInfo = strict({
  name: Type.String(),
  editable: Type.Boolean({
    description: 'False where flow files, pins and connections are read-only (not development)',
  }),
  connections: Type.Array(
    strict({ name: Type.String(), system: Type.String(), kind: ConnectionKind, baseUrl: endpoint }),
  ),
});

/** A connection as the environment file declares it (see environment.schema.json). */
export const ConnectionDefinition = Type.Unsafe<Connection>(connectionSchema);

/** One connection as the designer shows it: never a secret's value, only whether it is set. */
export const ConnectionInfo = strict({
  name: Type.String(),
  system: Type.String(),
  kind: ConnectionKind,
  baseUrl: endpoint,
  auth: Type.String({ description: 'The auth type, `none` without one' }),
  secrets: Type.Array(strict({ name: Type.String(), set: Type.Boolean() })),
  timeoutMs: Type.Optional(Type.Integer()),
  rateLimit: Type.Optional(Type.Unsafe<Connection['rateLimit']>(rateLimitSchema)),
  definition: ConnectionDefinition,
});
export const ConnectionList = strict({
  environment: Type.String(),
  editable: Type.Boolean(),
  connections: Type.Array(ConnectionInfo),
});
export const ConnectionSaved = strict({ name: Type.String(), connection: ConnectionDefinition });
export const EnvironmentReloaded = strict({
  environment: Type.String(),
  connections: Type.Integer({ description: 'How many connections the file declares' }),
});

export const PartnerList = strict({
  partners: Type.Array(document<TradingPartner>(tradingPartnerSchema)),
});

/** Manifests as data; each carries its config's JSON Schema (the node contract, docs/nodes.md). */
export const NodeList = strict({
  nodes: Type.Array(
    Type.Unsafe<Omit<NodeManifest, 'migrate'>>({
      type: 'object',
      required: ['type', 'category', 'title'],
      properties: {
        type: { type: 'string' },
        category: { type: 'string' },
        title: { type: 'string' },
      },
    }),
  ),
});

export const Healthy = strict({ status: Type.Literal('ok') });

const DataLoss = strict({
  detectedAt: Timestamp,
  expected: Type.String(),
  found: Nullable(Type.String()),
  /** Whether the global data (deployed flows and the rest) went, or only run-data partitions. */
  global: Type.Boolean(),
  partitions: Type.Array(Type.Integer({ minimum: 0 })),
  restored: Type.Boolean(),
  restoredFlows: Type.Array(Type.String()),
  action: Type.Optional(Type.String()),
});
export const Ready = strict({
  status: Type.Literal('ready'),
  redis: strict({
    maxmemoryPolicy: Type.String(),
    usedMemory: Type.Optional(Type.Integer()),
    maxMemory: Type.Optional(Nullable(Type.Integer())),
  }),
  warnings: Type.Optional(Type.Array(Type.String())),
  dataLoss: Type.Optional(DataLoss),
});
export const NotReady = strict({
  status: Type.Literal('unavailable'),
  message: Type.String(),
  dataLoss: Type.Optional(DataLoss),
});

/** The body a webhook answers with: the run it started or the one its key already started. */
export const HookAccepted = strict({
  runId: Type.String(),
  duplicate: Type.Optional(Type.Literal(true)),
});
/** With `replyTimeoutMs`: whatever the flow's `flow.respond` node answered. */
export const HookReply = Json;
