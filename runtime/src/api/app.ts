import { openApiDocument } from '@crossdock/nodes/api';
import express, { type Express } from 'express';
import { DEV_API_KEY } from '../infra/config';
import type { Runtime } from '../runtime';
import { authenticate } from './auth';
import { redisAuthThrottle } from './auth-throttle';
import { limitJsonDepth, requireJsonBody } from './body-guards';
import { designerRouter } from './designer';
import { errorHandler, notFound } from './errors';
import { requestLog } from './request-log';
import { catalogRouter } from './routes/catalog';
import { connectionsRouter } from './routes/connections';
import { flowFilesRouter } from './routes/flow-files';
import { flowsRouter } from './routes/flows';
import { healthRouter } from './routes/health';
import { hooksRouter } from './routes/hooks';
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

/** The HTTP API: Express routers around the runtime's services. */
export function createApp(runtime: Runtime, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (runtime.config.trustProxy !== undefined) app.set('trust proxy', runtime.config.trustProxy);
  app.use(requestLog(runtime.log, runtime.now));
  app.use(securityHeaders());
  app.use(healthRouter(runtime));
  app.use('/hooks', hooksRouter(runtime));
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
  app.use(errorHandler(runtime.log));
  return app;
}
