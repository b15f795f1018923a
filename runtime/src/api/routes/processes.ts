import { type Diagnostic, durationMs, isJsonObject, type ProcessDocument } from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import type { Runtime } from '../../runtime';
import type { ProcessVersionSummary } from '../../tower/process-store';
import { checkDeployableProcess } from '../../tower/process-validation';
import { listObjects, objectRow, summarize } from '../../tower/tower-queries';
import { caller, requireRole } from '../auth';
import { ApiError } from '../errors';
import { intParam, optionalString, processIdParam, stringParam } from '../params';

/** `PUT /api/processes/:id`: the body is the process document itself. */
export type DeployProcessRequest = ProcessDocument;

/** The answer to a deploy (201 created, 200 the same version again). */
export interface DeployProcessResponse {
  id: string;
  version: string;
  hash: string;
  deployedAt: string;
  deployedBy: string;
  created: boolean;
  /** Whether this version is now the one observed (a lower number than the active is not). */
  active: boolean;
}

/** `GET /api/processes`: the active versions, and whether this caller may deploy new ones here. */
export interface ProcessListResponse {
  processes: readonly ProcessDocument[];
  /** True for an admin key in development (elsewhere versions arrive by promotion). */
  editable: boolean;
}

/** `GET /api/processes/:id/versions`. */
export interface ProcessVersionsResponse {
  id: string;
  versions: ProcessVersionSummary[];
}

/** A refused deploy: 400 `invalid-process` with the validator's diagnostics (path + message). */
export interface InvalidProcessDetails {
  diagnostics: Diagnostic[];
}

async function processOf(runtime: Runtime, id: unknown): Promise<ProcessDocument> {
  const pid = stringParam(id, 'id');
  await runtime.tower.fresh();
  const process = runtime.tower.get(pid);
  if (!process) {
    const known = runtime.tower
      .list()
      .map((p) => p.id)
      .join(', ');
    throw new ApiError(
      404,
      'not-found',
      `No business process "${pid}"; there are: ${known || 'none'}.`,
    );
  }
  return process;
}

/** `olderThan`: an ISO 8601 duration (`PT4H`) or milliseconds. */
function olderThanParam(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = /^\d+$/.test(text) ? Number(text) : durationMs(text);
  if (ms === undefined)
    throw new ApiError(
      400,
      'invalid-parameter',
      '"olderThan" is an ISO 8601 duration (e.g. PT4H) or milliseconds.',
    );
  return ms;
}

function breachedParam(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError(400, 'invalid-parameter', '"breached" is true or false.');
}

/** The control tower: business processes, their summary, objects and breaches. */
export function processesRouter(runtime: Runtime): Router {
  const router = Router();

  router.get('/processes', async (_req, res) => {
    const body: ProcessListResponse = {
      processes: await runtime.tower.fresh(),
      editable: isDevelopment(runtime.config) && caller(res).role === 'admin',
    };
    res.json(body);
  });

  router.get('/processes/:id', async (req, res) => {
    res.json(await processOf(runtime, req.params.id));
  });

  // Deploying is an admin's: a process grants replay authority and sets who is paged.
  router.put('/processes/:id', requireRole('admin'), async (req, res) => {
    const id = processIdParam(req.params.id);
    if (!isDevelopment(runtime.config)) {
      throw new ApiError(
        403,
        'promotion-required',
        `New process versions reach "${runtime.config.envName}" only by promotion (POST /api/promotions with {"process"}).`,
      );
    }
    const checked = await checkDeployableProcess(runtime, req.body as unknown, id);
    if (!checked.process) {
      const details: InvalidProcessDetails = { diagnostics: checked.diagnostics };
      throw new ApiError(400, 'invalid-process', 'The process document has errors.', details);
    }
    const process = checked.process;
    const result = await runtime.tower.processes.deploy(
      process,
      caller(res).actor,
      new Date(runtime.now()),
    );
    if (result.status === 'conflict') {
      throw new ApiError(
        409,
        'version-conflict',
        `Version ${process.version} of process "${id}" is already deployed with different content; bump the version.`,
        { hash: result.existing.hash, deployedAt: result.existing.deployedAt },
      );
    }
    const { deployment } = result;
    const active = await runtime.tower.processes.active(id);
    const body: DeployProcessResponse = {
      id,
      version: process.version,
      hash: deployment.hash,
      deployedAt: deployment.deployedAt,
      deployedBy: deployment.deployedBy,
      created: result.status === 'created',
      active: active?.process.version === process.version,
    };
    res.status(result.status === 'created' ? 201 : 200).json(body);
  });

  router.get('/processes/:id/versions', async (req, res) => {
    const id = processIdParam(req.params.id);
    const versions = await runtime.tower.processes.versions(id);
    if (versions.length === 0)
      throw new ApiError(404, 'not-found', `No deployed business process "${id}".`);
    const body: ProcessVersionsResponse = { id, versions };
    res.json(body);
  });

  router.get('/processes/:id/versions/:version', async (req, res) => {
    const id = processIdParam(req.params.id);
    const version = stringParam(req.params.version, 'version');
    const deployment = await runtime.tower.processes.get(id, version);
    if (!deployment)
      throw new ApiError(404, 'not-found', `No version ${version} of business process "${id}".`);
    res.json(deployment);
  });

  router.get('/processes/:id/summary', async (req, res) => {
    const process = await processOf(runtime, req.params.id);
    res.json(await summarize(runtime.redis, runtime.tower.store, process, runtime.now()));
  });

  router.get('/processes/:id/objects', async (req, res) => {
    const process = await processOf(runtime, req.params.id);
    const q = req.query;
    const stage = optionalString(q.stage, 'stage');
    if (stage !== undefined && !process.milestones.some((m) => m.id === stage)) {
      throw new ApiError(
        400,
        'invalid-parameter',
        `"stage" is one of ${process.milestones.map((m) => m.id).join(', ')}.`,
      );
    }
    const owner = optionalString(q.owner, 'owner');
    const key = optionalString(q.key, 'key');
    const breached = breachedParam(q.breached);
    const olderThanMs = olderThanParam(q.olderThan);
    const result = await listObjects(
      runtime.redis,
      runtime.tower.store,
      process,
      {
        limit: intParam(q.limit, 'limit', 50, 500) || 50,
        cursor: intParam(q.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER),
        ...(stage !== undefined ? { stage } : {}),
        ...(owner !== undefined ? { owner } : {}),
        ...(key !== undefined ? { key } : {}),
        ...(breached !== undefined ? { breached } : {}),
        ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      },
      runtime.now(),
    );
    res.json(result);
  });

  router.get('/processes/:id/objects/:key', async (req, res) => {
    const process = await processOf(runtime, req.params.id);
    const key = stringParam(req.params.key, 'key');
    const state = await runtime.tower.store.get(process.id, key);
    if (!state) {
      throw new ApiError(
        404,
        'not-found',
        `No ${process.businessKey} "${key}" in ${process.name} (none recorded, or past the retention).`,
      );
    }
    const now = runtime.now();
    const names = new Map(process.milestones.map((m) => [m.id, m]));
    const expectations = new Map(process.expectations.map((x) => [x.id, x]));
    res.json({
      ...objectRow(state),
      process: process.id,
      timeline: state.timeline.map((e) => ({
        ...e,
        name: names.get(e.milestone)?.name ?? e.milestone,
        system: names.get(e.milestone)?.system ?? null,
        run: `/api/runs/${e.runId}`,
      })),
      open: state.open.map((o) => {
        const x = expectations.get(o.expectation);
        return {
          ...o,
          name: x?.name ?? o.expectation,
          expect: x?.expect ?? null,
          owner: x?.owner ?? null,
          severity: x?.severity ?? null,
          timeLeftMs: Date.parse(o.deadline) - now,
        };
      }),
      breaches: state.breaches,
      failedChecks: state.failedChecks,
    });
  });

  router.post(
    '/processes/:id/objects/:key/breaches/:breachId/ack',
    requireRole('operator'),
    async (req, res) => {
      const process = await processOf(runtime, req.params.id);
      const key = stringParam(req.params.key, 'key');
      const breachId = stringParam(req.params.breachId, 'breachId');
      const body: unknown = req.body ?? {};
      const comment = isJsonObject(body) ? body.comment : undefined;
      if (typeof comment !== 'string' || comment.trim() === '' || comment.length > 2000) {
        throw new ApiError(
          400,
          'invalid-body',
          'Send {"comment": "what is being done about it"} (2000 characters at most).',
        );
      }
      const state = await runtime.tower.acknowledge(
        process,
        key,
        breachId,
        caller(res).actor,
        comment.trim(),
      );
      if (!state)
        throw new ApiError(
          404,
          'not-found',
          `No breach "${breachId}" on ${process.businessKey} "${key}".`,
        );
      res.json(state.breaches.find((b) => b.id === breachId));
    },
  );

  return router;
}
