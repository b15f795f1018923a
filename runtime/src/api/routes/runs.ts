import { isJsonObject, type JsonValue } from '@crossdock/nodes';
import { Router } from 'express';
import { RUN_STATUSES, type RunStatus } from '../../engine/run-types';
import type { Role } from '../../infra/config';
import { queueCounts } from '../../queue/run-queue';
import type { Runtime } from '../../runtime';
import { RUN_QUEUE } from '../../store/run-job';
import { caller, requireRole } from '../auth';
import { ApiError } from '../errors';
import { intParam, optionalString, runIdParam, timeParam } from '../params';

function statusParam(value: unknown): RunStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value))
    return value as RunStatus;
  throw new ApiError(400, 'invalid-parameter', `"status" is one of ${RUN_STATUSES.join(', ')}.`);
}

/** 403 when a business process observing the run's flow keeps replays to other roles. */
async function requireReplayAuthority(runtime: Runtime, runId: string, role: Role): Promise<void> {
  const record = await runtime.runs.record(runId);
  if (!record) return;
  await runtime.tower.fresh();
  for (const p of runtime.tower.observing(record.flowId)) {
    if (p.replayRoles && !p.replayRoles.includes(role)) {
      throw new ApiError(
        403,
        'forbidden',
        `Runs of "${record.flowId}" belong to the business process "${p.name}", whose replay authority is ${p.replayRoles.join(', ')}; your key has ${role}.`,
      );
    }
  }
}

/** Runs, traces, the exception queue, replays, discards and queue depth. */
export function runsRouter(runtime: Runtime): Router {
  const router = Router();

  router.get('/runs', async (req, res) => {
    const q = req.query;
    const flow = optionalString(q.flow, 'flow');
    const key = optionalString(q.key, 'key');
    const status = statusParam(q.status);
    const from = timeParam(q.from, 'from');
    const to = timeParam(q.to, 'to');
    const result = await runtime.runs.list({
      limit: intParam(q.limit, 'limit', 50, 500) || 50,
      cursor: intParam(q.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER),
      ...(flow !== undefined ? { flow } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
    res.json(result);
  });

  router.get('/runs/:id', async (req, res) => {
    const id = runIdParam(req.params.id);
    const run = await runtime.runs.get(id);
    if (!run)
      throw new ApiError(404, 'not-found', `No run "${id}" (runs expire after the retention).`);
    res.json(run);
  });

  router.post('/runs/:id/replay', requireRole('operator'), async (req, res) => {
    const id = runIdParam(req.params.id);
    await requireReplayAuthority(runtime, id, caller(res).role);
    const body: unknown = req.body ?? {};
    if (!isJsonObject(body))
      throw new ApiError(400, 'invalid-body', 'Send {"fromNode"?, "input"?, "fromStart"?}.');
    const fromNode = optionalString(body.fromNode, 'fromNode');
    let started: Awaited<ReturnType<Runtime['service']['replay']>>;
    try {
      started = await runtime.service.replay(id, caller(res).actor, {
        ...(fromNode !== undefined ? { fromNode } : {}),
        ...(body.input !== undefined ? { input: body.input as JsonValue } : {}),
        ...(body.fromStart === true ? { fromStart: true } : {}),
      });
    } catch (error) {
      // A run is replayed at most once: a concurrent or later replay finds it replaying.
      if (error instanceof Error && error.name === 'IntakeRefused') {
        throw new ApiError(409, 'already-replayed', error.message);
      }
      throw error;
    }
    res.status(202).json({ runId: started.runId, replayOf: id });
  });

  router.post('/runs/:id/discard', requireRole('operator'), async (req, res) => {
    const id = runIdParam(req.params.id);
    await requireReplayAuthority(runtime, id, caller(res).role);
    const body: unknown = req.body ?? {};
    const reason = isJsonObject(body) ? body.reason : undefined;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ApiError(400, 'invalid-body', 'Send {"reason": "why the run is discarded"}.');
    }
    await runtime.service.discard(id, caller(res).actor, reason);
    res.json(await runtime.runs.record(id));
  });

  router.get('/exceptions', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 50, 500) || 50;
    const cursor = intParam(req.query.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER);
    res.json(await runtime.runs.exceptions(limit, cursor));
  });

  router.get('/queues', async (_req, res) => {
    res.json({
      queues: await Promise.all(
        runtime.keys.partitions.map(async (k) => ({
          name: RUN_QUEUE,
          prefix: k.prefix,
          counts: await queueCounts(runtime.queues.forPartition(k.index)),
        })),
      ),
    });
  });

  return router;
}
