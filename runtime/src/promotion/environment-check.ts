import {
  type Catalog,
  type Environment,
  type FlowDocument,
  isJsonObject,
  secretNames,
} from '@crossdock/nodes';

/** Something an environment lacks for a flow: a connection binding or a secret. */
export interface EnvironmentProblem {
  kind: 'binding' | 'secret';
  /** The connection name the flow uses. */
  connection: string;
  /** The secret's name (for `secret`). */
  secret?: string;
  message: string;
}

/**
 * The connections a flow needs: the `config.connection` of every node whose manifest takes one.
 * Flows declare nothing else; the connector nodes are the declaration.
 */
export function requiredConnections(flow: FlowDocument, catalog: Catalog): string[] {
  const names = new Set<string>();
  for (const node of flow.nodes) {
    const manifest = catalog.get(node.type);
    const name = isJsonObject(node.config) ? node.config.connection : undefined;
    if (manifest?.connection && typeof name === 'string') names.add(name);
  }
  return [...names].sort();
}

/**
 * Checks a flow against an environment: every connection bound, and (given `secret`, which the
 * runtime and CLI resolve from the process environment or the secrets file) every secret set.
 */
export function checkEnvironment(
  flow: FlowDocument,
  catalog: Catalog,
  environment: Environment,
  secret?: (name: string) => string | undefined,
): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  for (const name of requiredConnections(flow, catalog)) {
    const connection = Object.hasOwn(environment.connections, name)
      ? environment.connections[name]
      : undefined;
    if (!connection) {
      problems.push({
        kind: 'binding',
        connection: name,
        message: `The "${environment.name}" environment binds no connection "${name}".`,
      });
      continue;
    }
    if (!secret) continue;
    for (const s of secretNames(connection)) {
      if (secret(s) === undefined || secret(s) === '') {
        problems.push({
          kind: 'secret',
          connection: name,
          secret: s,
          message: `The secret ${s} (connection "${name}") is not set in "${environment.name}".`,
        });
      }
    }
  }
  return problems;
}
