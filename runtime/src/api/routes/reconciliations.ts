import { isJsonObject } from '@crossdock/nodes';
import { Router } from 'express';
import { DECISION_ACTIONS, type DecisionAction } from '../../reconcile/reconcile-types';
import type { Runtime } from '../../runtime';
import { caller, requireRole } from '../auth';
import { ApiError } from '../errors';
import { intParam, stringParam } from '../params';

/** The decision body: `{action: "approve"|"accept", comment?}`, parsed once here. */
function decisionBody(value: unknown): { action: DecisionAction; comment: string } {
  const body = isJsonObject(value) ? value : {};
  const action = body.action;
  const comment = body.comment ?? '';
  if (
    typeof action !== 'string' ||
    !(DECISION_ACTIONS as readonly string[]).includes(action) ||
    typeof comment !== 'string' ||
    comment.length > 2000
  ) {
    throw new ApiError(
      400,
      'invalid-body',
      'Send {"action": "approve" | "accept", "comment": "why"} (comment optional, 2000 characters at most).',
    );
  }
  return { action: action as DecisionAction, comment: comment.trim() };
}

/** Reconciliation streams and master-data drift: runs, differences, trend, stewardship. */
export function reconciliationsRouter(runtime: Runtime): Router {
  const router = Router();
  const rec = runtime.reconciliations;

  router.get('/reconciliations', async (_req, res) => {
    const streams = await Promise.all(
      rec.list().map(async (doc) => {
        const latest = (await rec.store.runs(doc.id, 1))[0];
        return {
          id: doc.id,
          name: doc.name,
          kind: doc.kind,
          ...(doc.domain ? { domain: doc.domain } : {}),
          owner: doc.owner,
          schedule: doc.schedule,
          systems: { left: doc.left.system, right: doc.right.system },
          ...(doc.systemOfRecord ? { systemOfRecord: doc[doc.systemOfRecord].system } : {}),
          latest: latest
            ? {
                run: latest.id,
                at: latest.startedAt,
                status: latest.status,
                counts: latest.counts,
              }
            : null,
        };
      }),
    );
    res.json({ reconciliations: streams });
  });

  router.get('/reconciliations/:id', async (req, res) => {
    const id = stringParam(req.params.id, 'id');
    const trendLength = intParam(req.query.trend, 'trend', 30, 100) || 30;
    const latest = await rec.latest(id);
    const doc = rec.get(id);
    const decisions = latest
      ? await rec.store.decisions(
          id,
          latest.differences.map((d) => d.key),
        )
      : new Map();
    res.json({
      reconciliation: doc,
      latest: latest
        ? {
            ...latest,
            differences: latest.differences.map((d) => ({
              ...d,
              decision: decisions.get(d.key) ?? null,
            })),
          }
        : null,
      trend: await rec.trend(id, trendLength),
    });
  });

  router.get('/reconciliations/:id/audit', async (req, res) => {
    const id = stringParam(req.params.id, 'id');
    const limit = intParam(req.query.limit, 'limit', 100, 1000) || 100;
    res.json({ decisions: await rec.audit(id, limit) });
  });

  router.post('/reconciliations/:id/run', requireRole('operator'), async (req, res) => {
    const id = stringParam(req.params.id, 'id');
    res.json(await rec.run(id, 'manual', caller(res).actor));
  });

  router.post(
    '/reconciliations/:id/differences/:key/decision',
    requireRole('operator'),
    async (req, res) => {
      const id = stringParam(req.params.id, 'id');
      const key = stringParam(req.params.key, 'key');
      const { action, comment } = decisionBody(req.body);
      res.json(await rec.decide(id, key, action, caller(res).actor, comment));
    },
  );

  return router;
}
