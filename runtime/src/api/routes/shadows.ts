import { Router } from 'express';
import type { Runtime } from '../../runtime';
import { parseStartShadow } from '../../shadow/shadow-request';
import { caller, requireRole } from '../auth';
import { flowIdParam, intParam, stringParam } from '../params';
import { validDocument } from './flows';

/** Dual runs of a candidate version beside the active one (admins start and stop them). */
export function shadowsRouter(runtime: Runtime): Router {
  const router = Router();
  const admin = requireRole('admin');

  router.post('/flows/:id/shadows', admin, async (req, res) => {
    const flowId = flowIdParam(req.params.id);
    const { flow, ...request } = parseStartShadow(req.body, runtime.now());
    const shadow = await runtime.shadows.start(
      flowId,
      { ...request, ...(flow !== undefined ? { flow: validDocument(runtime, flow, flowId) } : {}) },
      caller(res).actor,
    );
    res.status(201).json(shadow);
  });

  router.get('/flows/:id/shadows', async (req, res) => {
    res.json({ shadows: await runtime.shadows.list(flowIdParam(req.params.id)) });
  });

  router.get('/flows/:id/shadows/:shadowId', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 200, 5000);
    res.json(
      await runtime.shadows.report(
        flowIdParam(req.params.id),
        stringParam(req.params.shadowId, 'shadowId'),
        limit,
      ),
    );
  });

  router.delete('/flows/:id/shadows/:shadowId', admin, async (req, res) => {
    res.json(
      await runtime.shadows.stop(
        flowIdParam(req.params.id),
        stringParam(req.params.shadowId, 'shadowId'),
        caller(res).actor,
      ),
    );
  });

  return router;
}
