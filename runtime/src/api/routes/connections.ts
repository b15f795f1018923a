import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  connectionEndpoint,
  connectionKind,
  type Environment,
  formatJson,
  isJsonObject,
  loadEnvironment,
  secretNames,
} from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import type { Runtime } from '../../runtime';
import { requireRole } from '../auth';
import { ApiError } from '../errors';

const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Replaces the running environment's contents in place: every step context holds the same object,
 * so new runs and steps see the new connections without a restart. Each secret the connections
 * name is read once so that its value is redacted from then on.
 */
export function applyEnvironment(runtime: Runtime, next: Environment): void {
  const env = runtime.environment;
  for (const name of Object.keys(env.connections)) delete env.connections[name];
  Object.assign(env.connections, next.connections);
  if (next.settings) env.settings = next.settings;
  else delete env.settings;
  for (const connection of Object.values(next.connections)) {
    for (const name of secretNames(connection)) runtime.secrets.get(name);
  }
}

/**
 * The environment's connections for the designer (base URL, auth type, secret names and whether
 * each secret is set: never a value), and in development, adding or editing one of them in the
 * environment file with the same validation as the file itself.
 */
export function connectionsRouter(runtime: Runtime): Router {
  const router = Router();
  const file = () =>
    path.join(runtime.config.flowsDir, 'environments', `${runtime.config.envName}.json`);

  async function readFileEnvironment(): Promise<{ text: string; value: Record<string, unknown> }> {
    let text: string;
    try {
      text = await readFile(file(), 'utf8');
    } catch {
      return { text: '', value: { name: runtime.config.envName, connections: {} } };
    }
    const parsed: unknown = JSON.parse(text);
    if (!isJsonObject(parsed)) throw new ApiError(500, 'invalid-environment', 'Not an object.');
    return { text, value: parsed };
  }

  async function reload(): Promise<void> {
    const { text } = await readFileEnvironment();
    if (text === '') return;
    const loaded = loadEnvironment(text);
    if (!loaded.environment) {
      throw new ApiError(400, 'invalid-environment', 'The environment file has errors.', {
        diagnostics: loaded.diagnostics,
      });
    }
    applyEnvironment(runtime, loaded.environment);
  }

  router.get('/connections', (_req, res) => {
    const env = runtime.environment;
    res.json({
      environment: env.name,
      editable: isDevelopment(runtime.config),
      connections: Object.entries(env.connections)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, c]) => ({
          name,
          system: c.system,
          kind: connectionKind(c),
          baseUrl: connectionEndpoint(c),
          auth: c.auth?.type ?? 'none',
          secrets: secretNames(c).map((s) => ({
            name: s,
            set: runtime.secrets.get(s) !== undefined,
          })),
          ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
          ...(c.rateLimit ? { rateLimit: c.rateLimit } : {}),
          definition: c,
        })),
    });
  });

  router.put('/connections/:name', requireRole('admin'), async (req, res) => {
    const name = req.params.name;
    if (typeof name !== 'string' || !CONNECTION_NAME.test(name)) {
      throw new ApiError(
        400,
        'invalid-name',
        'A connection name is lower-case letters, digits, "-" and "_".',
      );
    }
    if (!isDevelopment(runtime.config)) {
      throw new ApiError(
        403,
        'read-only-environment',
        `Connections of "${runtime.config.envName}" are changed in its file, through review.`,
      );
    }
    const { value } = await readFileEnvironment();
    const connections = isJsonObject(value.connections) ? value.connections : {};
    const candidate = { ...value, connections: { ...connections, [name]: req.body as unknown } };
    const text = formatJson(candidate);
    const loaded = loadEnvironment(text);
    if (!loaded.environment) {
      throw new ApiError(400, 'invalid-connection', 'The connection is not valid.', {
        diagnostics: loaded.diagnostics,
      });
    }
    await writeFile(file(), text, 'utf8');
    applyEnvironment(runtime, loaded.environment);
    res.json({ name, connection: loaded.environment.connections[name] });
  });

  router.post('/environment/reload', requireRole('admin'), async (_req, res) => {
    await reload();
    res.json({
      environment: runtime.environment.name,
      connections: Object.keys(runtime.environment.connections).length,
    });
  });

  return router;
}
