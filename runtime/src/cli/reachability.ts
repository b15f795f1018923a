import { connect } from 'node:net';
import { type Environment, type FlowDocument, isHttpConnection } from '@crossdock/nodes';

const SANDBOX_SYSTEMS: Record<string, string> = {
  erp: 'ERP',
  wms: 'WMS',
  tms: 'TMS',
  carrier: 'carrier',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The connection names a flow's nodes use (`config.connection`), sorted, each once. */
export function connectionsOf(flow: FlowDocument): string[] {
  const names = new Set<string>();
  for (const node of flow.nodes) {
    const name = (node.config as Record<string, unknown> | undefined)?.connection;
    if (typeof name === 'string') names.add(name);
  }
  return [...names].sort();
}

/** True when something accepts a TCP connection on host:port within the timeout. */
export function listening(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * For each connection the flow calls on this machine (a loopback base URL) where nothing
 * listens: a sentence that names the system and how to start it. Remote systems are not probed:
 * their failures are the run's to report, with retries.
 */
export async function unreachableSystems(
  flow: FlowDocument,
  environment: Environment,
): Promise<string[]> {
  const problems: string[] = [];
  for (const name of connectionsOf(flow)) {
    const connection = environment.connections[name];
    if (!connection || !isHttpConnection(connection)) continue;
    let url: URL;
    try {
      url = new URL(connection.baseUrl);
    } catch {
      continue;
    }
    if (!LOOPBACK.has(url.hostname)) continue;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (await listening(url.hostname, port)) continue;
    const sandboxName = SANDBOX_SYSTEMS[connection.system];
    problems.push(
      sandboxName && environment.name === 'dev'
        ? `the sandbox ${sandboxName} at ${url.origin} is not running; start it with \`pnpm crossdock sandbox\` (or \`pnpm start\`, which runs it too)`
        : `the ${connection.system} system of connection "${name}" at ${url.origin} is not running (connection refused)`,
    );
  }
  return problems;
}
