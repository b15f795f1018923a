import type { ConnectionKind, TransportKind } from './connections';
import type { RetryPolicy } from './flow-types';
import { ERROR_PORT } from './flow-types';
import type { JsonObject } from './json';
import { isJsonObject } from './json';

export type NodeCategory = 'trigger' | 'connector' | 'mapping' | 'rule' | 'exception' | 'flow';

export const NODE_CATEGORIES: readonly NodeCategory[] = [
  'trigger',
  'connector',
  'mapping',
  'rule',
  'exception',
  'flow',
];

export interface PortSpec {
  /** Stable id that edges refer to. */
  id: string;
  label: string;
  description?: string;
}

/** Output ports named by the config, e.g. a switch's cases: one port per `config[from][i][key]`. */
export interface DynamicPorts {
  from: string;
  key: string;
  labelKey?: string;
}

/** A JSON Schema object; `x-expression: true` marks a field that holds a json-logic expression. */
export type ConfigSchema = JsonObject;

/**
 * How a trigger starts runs while its flow's version is the active one, as data: the runtime's
 * activation service reads it (never the node type), applies it when a version becomes active
 * (deploy, promotion, rollback) and removes what the previous version declared. Each string
 * names the config field that holds the value; an absent field falls back to the default in
 * the config schema.
 */
export type TriggerActivation =
  /**
   * `POST /hooks/<path>`: a path belongs to one flow; a signed path stays signed. `contentType`
   * (`json` | `text`) and `replyTimeout` (request-reply wait, ms) travel with the route.
   */
  | {
      kind: 'webhook';
      path: string;
      signatureSecret: string;
      contentType: string;
      replyTimeout: string;
    }
  /** A cron pattern read in an IANA time zone; one scheduler per flow, shared by every worker. */
  | { kind: 'schedule'; cron: string; timeZone: string }
  /** A consumer on a broker connection of kind `transport`, run by every worker process. */
  | { kind: 'consumer'; transport: TransportKind }
  /** A folder on a connection of kind `transport`, listed every `interval` ms by one worker. */
  | { kind: 'poll'; transport: TransportKind; interval: string };

/** What a node type is, as data: the designer and the runtime read the same manifest. */
export interface NodeManifest {
  /** `category.name`, e.g. `rule.branch`; unique in the catalog. */
  type: string;
  /** Increments when the config shape changes; `migrate` lifts older configs. */
  version: number;
  category: NodeCategory;
  title: string;
  description: string;
  inputs: readonly PortSpec[];
  outputs: readonly PortSpec[];
  dynamicOutputs?: DynamicPorts;
  configSchema: ConfigSchema;
  defaults: JsonObject;
  /** Calls another system or changes state outside the run: gets an idempotency key. */
  sideEffects: boolean;
  /**
   * Names a connection (`config.connection`) that the environment supplies: of one of `kinds`
   * (`http` when absent) and, when given, one of `systems`.
   */
  connection?: { systems?: readonly string[]; kinds?: readonly ConnectionKind[] };
  /** A trigger that starts runs by itself (a path, a clock, a broker, a folder). */
  activation?: TriggerActivation;
  /** May be part of a cycle in the graph (e.g. a re-tender loop with a counter). */
  mayLoop?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Markdown for the node reference and the palette. */
  docs: string;
  /** Lifts a config written for an older `version` to the current one. */
  migrate?: (config: JsonObject, fromVersion: number) => JsonObject;
}

/** Declares a node manifest; the identity function exists so that types are checked at the source. */
export function defineNode<const M extends NodeManifest>(manifest: M): M {
  return manifest;
}

const ERROR_PORT_SPEC: PortSpec = {
  id: ERROR_PORT,
  label: 'Error',
  description: 'Taken when the node fails after its last attempt.',
};

/** Output ports of a node given its config: static, dynamic and the implicit `error` port. */
export function outputPorts(manifest: NodeManifest, config: JsonObject): PortSpec[] {
  const ports = [...manifest.outputs];
  const dyn = manifest.dynamicOutputs;
  if (dyn) {
    const list = config[dyn.from];
    if (Array.isArray(list)) {
      for (const item of list) {
        if (!isJsonObject(item)) continue;
        const id = item[dyn.key];
        if (typeof id !== 'string' || id === '') continue;
        const label = dyn.labelKey ? item[dyn.labelKey] : undefined;
        ports.push({ id, label: typeof label === 'string' ? label : id });
      }
    }
  }
  ports.push(ERROR_PORT_SPEC);
  return ports;
}
