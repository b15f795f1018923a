import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { openApiDocument } from '@crossdock/nodes/api';
import express from 'express';
import { DEV_API_KEY } from '../infra/config';
import type { Runtime } from '../runtime';
import { authenticate } from './auth';
import { redisAuthThrottle } from './auth-throttle';
import { limitJsonDepth, requireJsonBody } from './body-guards';
import { designerRouter } from './designer';
import { errorHandler, notFound } from './errors';
import { hookFastPath } from './hook-fast-path';
import { requestLog } from './request-log';
import { catalogRouter } from './routes/catalog';
import { connectionsRouter } from './routes/connections';
import { flowFilesRouter } from './routes/flow-files';
import { flowsRouter } from './routes/flows';
import { healthRouter } from './routes/health';
import { hookIntake, hooksRouter } from './routes/hooks';
import { processesRouter } from './routes/processes';
import { promotionRouter } from './routes/promotion';
import { reconciliationsRouter } from './routes/reconciliations';
import { runsRouter } from './routes/runs';
import { shadowsRouter } from './routes/shadows';
import { testCasesRouter } from './routes/test-cases';
import { apiContentSecurityPolicy, securityHeaders } from './security-headers';

export interface AppOptions {
  /** The designer's built files (`designer/dist`); not served when absent. */
  designerDist?: string;
}

/** The runtime's HTTP handler, and a server of its own on a port like `express().listen`. */
export interface HttpApp {
  (req: IncomingMessage, res: ServerResponse): void;
  listen(port: number, host?: string, listening?: () => void): Server;
}

/**
 * The HTTP API: Express routers around the runtime's services, behind a fast path that takes
 * webhook deliveries (the busiest requests) past express's router and body parser to the same
 * intake, headers, request log and error handler (see `hook-fast-path.ts`).
 */
export function createApp(runtime: Runtime, options: AppOptions = {}): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (runtime.config.trustProxy !== undefined) app.set('trust proxy', runtime.config.trustProxy);
  const front = [requestLog(runtime.log, runtime.now), securityHeaders()];
  app.use(front);
  app.use(healthRouter(runtime));
  const intake = hookIntake(runtime);
  app.use('/hooks', hooksRouter(runtime, intake));
  const api = express.Router();
  api.use(apiContentSecurityPolicy);
  api.use(requireJsonBody);
  api.use(express.json({ limit: runtime.config.bodyLimit, strict: false }));
  api.use(limitJsonDepth(runtime.config.maxJsonDepth));
  // The development key is no secret (README, startup log); saying it saves a newcomer a search.
  const devHint = runtime.config.devKeys ? ` In development the key is "${DEV_API_KEY}".` : '';
  api.use(
    authenticate(runtime.config.apiKeys, devHint, redisAuthThrottle(runtime.redis, runtime.keys)),
  );
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument('0.1.0'));
  });
  api.use(catalogRouter(runtime));
  api.use(connectionsRouter(runtime));
  api.use(flowFilesRouter(runtime));
  api.use(flowsRouter(runtime));
  api.use(runsRouter(runtime));
  api.use(promotionRouter(runtime));
  api.use(testCasesRouter(runtime));
  api.use(processesRouter(runtime));
  api.use(shadowsRouter(runtime));
  api.use(reconciliationsRouter(runtime));
  api.use(notFound);
  app.use('/api', api);
  if (options.designerDist) app.use(designerRouter(runtime.config, options.designerDist));
  app.use(notFound);
  const onError = errorHandler(runtime.log);
  app.use(onError);
  const takeHook = hookFastPath({
    app,
    front,
    intake,
    onError,
    bodyLimit: runtime.config.bodyLimit,
  });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (!takeHook(req, res)) app(req, res);
  };
  return Object.assign(handler, {
    listen: (port: number, host?: string, listening?: () => void) =>
      createServer(handler).listen(port, host, listening),
  });
}
