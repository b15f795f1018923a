import type { Catalog } from './catalog';
import type { TransportKind } from './connections';
import type { FlowDocument } from './flow-types';
import type { JsonObject, JsonValue } from './json';
import { isJsonObject } from './json';
import type { NodeManifest } from './manifest';

interface Resolved {
  nodeId: string;
  /** The node type, for logs and for the transport's own reading of its config. */
  type: string;
  config: JsonObject;
}

/** One trigger of a flow version with the values its manifest's activation names. */
export type Activation =
  | (Resolved & {
      kind: 'webhook';
      path: string;
      /** Present when the config names one; an empty name leaves the path unsigned. */
      signatureSecret?: string;
      contentType: 'json' | 'text';
      replyTimeoutMs?: number;
    })
  | (Resolved & { kind: 'schedule'; cron: string; timeZone: string })
  | (Resolved & { kind: 'consumer'; transport: TransportKind })
  | (Resolved & { kind: 'poll'; transport: TransportKind; intervalMs: number });

/** A field's value in the config, else the default its config schema declares. */
function field(manifest: NodeManifest, config: JsonObject, name: string): JsonValue | undefined {
  if (config[name] !== undefined) return config[name];
  const properties = manifest.configSchema.properties;
  const schema = isJsonObject(properties) ? properties[name] : undefined;
  return isJsonObject(schema) ? schema.default : undefined;
}

const text = (v: JsonValue | undefined) => (typeof v === 'string' ? v : undefined);
const num = (v: JsonValue | undefined) => (typeof v === 'number' ? v : undefined);

/**
 * The activations a flow version declares, in node order: what the runtime applies when the
 * version becomes active. A trigger whose required value is missing (a webhook without a path,
 * a schedule without a cron) declares nothing; the validator reports it before a deploy.
 */
export function activationsOf(flow: FlowDocument, catalog: Catalog): Activation[] {
  const out: Activation[] = [];
  for (const node of flow.nodes) {
    const manifest = catalog.get(node.type);
    const spec = manifest?.activation;
    if (!manifest || !spec) continue;
    const base: Resolved = { nodeId: node.id, type: node.type, config: node.config };
    const get = (name: string) => field(manifest, node.config, name);
    switch (spec.kind) {
      case 'webhook': {
        // The path and secret are read from the config only: a default path is a placeholder.
        const path = text(node.config[spec.path]);
        if (path === undefined) break;
        const secret = text(node.config[spec.signatureSecret]);
        const timeout = num(get(spec.replyTimeout));
        out.push({
          ...base,
          kind: 'webhook',
          path,
          contentType: get(spec.contentType) === 'text' ? 'text' : 'json',
          ...(secret !== undefined ? { signatureSecret: secret } : {}),
          ...(timeout !== undefined ? { replyTimeoutMs: timeout } : {}),
        });
        break;
      }
      case 'schedule': {
        const cron = text(node.config[spec.cron]);
        if (cron === undefined) break;
        out.push({ ...base, kind: 'schedule', cron, timeZone: text(get(spec.timeZone)) ?? 'UTC' });
        break;
      }
      case 'consumer':
        out.push({ ...base, kind: 'consumer', transport: spec.transport });
        break;
      case 'poll': {
        const intervalMs = num(get(spec.interval));
        if (intervalMs === undefined) break;
        out.push({ ...base, kind: 'poll', transport: spec.transport, intervalMs });
        break;
      }
    }
  }
  return out;
}
