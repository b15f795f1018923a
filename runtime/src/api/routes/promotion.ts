import { randomUUID } from 'node:crypto';
import { isJsonObject } from '@crossdock/nodes';
import { Router } from 'express';
import { ProcessPromotions } from '../../promotion/process-promotion';
import { PromotionService } from '../../promotion/promotion-service';
import { PromotionStore } from '../../promotion/promotion-store';
import type { Runtime } from '../../runtime';
import { caller, requireRole } from '../auth';
import { ApiError } from '../errors';
import { flowIdParam, optionalString, processIdParam, stringParam } from '../params';
import { validDocument } from './flows';

/** Promotions into this runtime's environment, their approvals, and rollbacks. Admins only. */
export function promotionRouter(
  runtime: Runtime,
  newId: () => string = () => `prm_${randomUUID()}`,
): Router {
  const router = Router();
  const store = new PromotionStore(runtime.redis, runtime.keys);
  const service = new PromotionService(runtime, store, newId);
  const processes = new ProcessPromotions(runtime, store, newId);
  const admin = requireRole('admin');

  router.post('/promotions', admin, async (req, res) => {
    const body: unknown = req.body;
    if (isJsonObject(body) && body.process !== undefined && body.flow === undefined) {
      // A business process file: validated here against the flows this environment runs.
      const outcome = await processes.promote(body.process, caller(res), {
        ...optionalOrigin(body),
        dryRun: body.dryRun === true,
      });
      const status = { ready: 200, unchanged: 200, pending: 202, published: 201 }[outcome.status];
      res.status(status).json({ environment: runtime.config.envName, ...outcome });
      return;
    }
    if (!isJsonObject(body) || !isJsonObject(body.flow) || typeof body.flow.id !== 'string') {
      throw new ApiError(
        400,
        'invalid-body',
        'Send {"flow": <flow document>, "from"?, "commit"?, "dryRun"?} or {"process": <process document>, ...}.',
      );
    }
    const flow = validDocument(runtime, body.flow, flowIdParam(body.flow.id));
    const from = optionalString(body.from, 'from');
    const commit = optionalString(body.commit, 'commit');
    const outcome = await service.promote(flow, caller(res), {
      ...(from !== undefined ? { from } : {}),
      ...(commit !== undefined ? { commit } : {}),
      dryRun: body.dryRun === true,
    });
    const status = { ready: 200, unchanged: 200, pending: 202, published: 201 }[outcome.status];
    res.status(status).json({ environment: runtime.config.envName, ...outcome });
  });

  router.get('/promotions', async (req, res) => {
    const flow = optionalString(req.query.flow, 'flow');
    const process = optionalString(req.query.process, 'process');
    res.json({ promotions: await store.list(flow, process) });
  });

  router.get('/promotions/:id', async (req, res) => {
    const id = stringParam(req.params.id, 'id');
    const promotion = await store.get(id);
    if (!promotion) throw new ApiError(404, 'not-found', `No promotion "${id}".`);
    res.json(promotion);
  });

  router.post('/promotions/:id/approve', admin, async (req, res) => {
    const id = stringParam(req.params.id, 'id');
    const pending = await store.get(id);
    const promotion =
      pending?.processId !== undefined
        ? await processes.approve(pending, caller(res))
        : await service.approve(id, caller(res));
    res.json(promotion);
  });

  router.post('/flows/:id/rollback', admin, async (req, res) => {
    const id = flowIdParam(req.params.id);
    const body: unknown = req.body ?? {};
    const version = isJsonObject(body) ? optionalString(body.version, 'version') : undefined;
    res.json(await service.rollback(id, caller(res), version));
  });

  router.post('/processes/:id/rollback', admin, async (req, res) => {
    const id = processIdParam(req.params.id);
    const body: unknown = req.body ?? {};
    const version = isJsonObject(body) ? optionalString(body.version, 'version') : undefined;
    res.json(await processes.rollback(id, caller(res), version));
  });

  return router;
}

/** `from` and `commit` of a promotion request, when given. */
function optionalOrigin(body: Record<string, unknown>): { from?: string; commit?: string } {
  const from = optionalString(body.from, 'from');
  const commit = optionalString(body.commit, 'commit');
  return { ...(from !== undefined ? { from } : {}), ...(commit !== undefined ? { commit } : {}) };
}
