import {
  type FlowDocument,
  hasErrors,
  isJsonObject,
  type JsonValue,
  validateFlow,
} from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import type { Runtime } from '../../runtime';
import { contentHash } from '../../store/flow-store';
import { caller, requireRole } from '../auth';
import { ApiError } from '../errors';
import { flowIdParam, stringParam } from '../params';
import { logDuplicate } from './duplicate-log';
import { readPins } from './flow-files';

/** Validates a body as a flow document for `id`; 400 with the validator's diagnostics. */
export function validDocument(runtime: Runtime, body: unknown, id: string): FlowDocument {
  const diagnostics = validateFlow(body, runtime.catalog, {
    environment: runtime.environment,
    expectedId: id,
  });
  if (hasErrors(diagnostics)) {
    throw new ApiError(400, 'invalid-flow', 'The flow document has errors.', { diagnostics });
  }
  return body as FlowDocument;
}

/** `<version>+test.<hash>`: a test deployment never collides with a real version. */
export function testVersion(flow: FlowDocument): string {
  return `${flow.version.split('+')[0]}+test.${contentHash(flow).slice(0, 10)}`;
}

/** Deployments and starting runs. */
export function flowsRouter(runtime: Runtime): Router {
  const router = Router();

  router.get('/flows', async (_req, res) => {
    res.json({ flows: await runtime.flows.list() });
  });

  router.put('/flows/:id', requireRole('analyst'), async (req, res) => {
    const id = flowIdParam(req.params.id);
    if (!isDevelopment(runtime.config)) {
      throw new ApiError(
        403,
        'promotion-required',
        `New versions reach "${runtime.config.envName}" only by promotion (POST /api/promotions).`,
      );
    }
    const flow = validDocument(runtime, req.body, id);
    const result = await runtime.flows.deploy(flow, caller(res).actor, new Date(runtime.now()));
    if (result.status === 'conflict') {
      throw new ApiError(
        409,
        'version-conflict',
        `Version ${flow.version} of "${id}" is already deployed with different content; bump the version.`,
        { hash: result.existing.hash, deployedAt: result.existing.deployedAt },
      );
    }
    const { deployment } = result;
    res.status(result.status === 'created' ? 201 : 200).json({
      id,
      version: flow.version,
      hash: deployment.hash,
      deployedAt: deployment.deployedAt,
      deployedBy: deployment.deployedBy,
      created: result.status === 'created',
    });
  });

  router.get('/flows/:id/versions', async (req, res) => {
    const id = flowIdParam(req.params.id);
    const versions = await runtime.flows.versions(id);
    if (versions.length === 0) throw new ApiError(404, 'not-found', `No deployed flow "${id}".`);
    res.json({ id, versions });
  });

  router.get('/flows/:id/versions/:version', async (req, res) => {
    const id = flowIdParam(req.params.id);
    const version = stringParam(req.params.version, 'version');
    const deployment = await runtime.flows.get(id, version);
    if (!deployment) throw new ApiError(404, 'not-found', `No version ${version} of "${id}".`);
    res.json(deployment);
  });

  router.post('/flows/:id/runs', requireRole('analyst'), async (req, res) => {
    const id = flowIdParam(req.params.id);
    const started = await runtime.service.start({
      flowId: id,
      payload: (req.body ?? null) as JsonValue,
      correlationId: String(res.locals.correlationId),
    });
    if (started.duplicate) await logDuplicate(runtime, id, started.runId, 'api');
    if (started.duplicate) res.status(200).json({ runId: started.runId, duplicate: true });
    else res.status(202).json({ runId: started.runId });
  });

  router.post('/flows/:id/test-runs', requireRole('analyst'), async (req, res) => {
    const id = flowIdParam(req.params.id);
    const body: unknown = req.body;
    if (!isJsonObject(body) || !('flow' in body)) {
      throw new ApiError(
        400,
        'invalid-body',
        'Send {"flow": <flow document>, "payload": <trigger payload>}.',
      );
    }
    if (body.send !== undefined && typeof body.send !== 'boolean') {
      throw new ApiError(400, 'invalid-body', '"send" is true (call the systems) or false.');
    }
    if (body.stopAt !== undefined && typeof body.stopAt !== 'string') {
      throw new ApiError(400, 'invalid-body', '"stopAt" is the id of the node to stop after.');
    }
    const valid = validDocument(runtime, body.flow, id);
    const stopAt = body.stopAt;
    if (stopAt !== undefined && !valid.nodes.some((n) => n.id === stopAt)) {
      throw new ApiError(400, 'invalid-body', `The flow has no node "${stopAt}" to stop after.`);
    }
    // "Run to here": nothing leaves the chosen node, so the run ends once it has run.
    const flow: FlowDocument =
      stopAt === undefined
        ? valid
        : { ...valid, edges: valid.edges.filter((e) => e.source !== stopAt) };
    const version = testVersion(flow);
    const testFlow: FlowDocument = { ...flow, version };
    // Safe by default: side-effecting nodes answer from their pinned output and send nothing.
    const send = body.send === true;
    const answers: Record<string, JsonValue> = {};
    if (!send) {
      for (const [nodeId, pin] of Object.entries(await readPins(runtime.config.flowsDir, id))) {
        if (pin.output !== undefined) answers[nodeId] = pin.output as JsonValue;
      }
    }
    const result = await runtime.flows.deploy(
      testFlow,
      caller(res).actor,
      new Date(runtime.now()),
      true,
    );
    if (result.status === 'conflict')
      throw new ApiError(409, 'version-conflict', 'Test version collision.');
    const started = await runtime.service.start({
      flowId: id,
      version,
      payload: (body.payload ?? null) as JsonValue,
      test: true,
      ...(send ? {} : { dryRun: { answers } }),
    });
    res.status(202).json({ runId: started.runId, version, sent: send });
  });

  return router;
}
