import { connectionEndpoint, connectionKind } from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import type { Runtime } from '../../runtime';

/** The node catalog (manifests as data), the environment's connections (never secrets) and the trading partners. */
export function catalogRouter(runtime: Runtime): Router {
  const router = Router();
  router.get('/nodes', (_req, res) => {
    const nodes = runtime.catalog.list().map(({ migrate: _migrate, ...manifest }) => manifest);
    res.json({ nodes });
  });
  router.get('/environment', (_req, res) => {
    const env = runtime.environment;
    res.json({
      name: env.name,
      // Flow files, pins and connections are written only in development.
      editable: isDevelopment(runtime.config),
      connections: Object.entries(env.connections)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, c]) => ({
          name,
          system: c.system,
          kind: connectionKind(c),
          baseUrl: connectionEndpoint(c),
        })),
    });
  });
  // Trading partners for the designer's EDI node forms: ids and reading rules, no secrets in them.
  router.get('/partners', (_req, res) => {
    res.json({ partners: runtime.partners });
  });
  return router;
}
