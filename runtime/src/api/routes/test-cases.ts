import { isJsonObject } from '@crossdock/nodes';
import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import { TEST_CASE_NAME, testCaseFromRun, truncatedNodes } from '../../promotion/test-case';
import { readTestCases, writeTestCase } from '../../promotion/test-case-files';
import type { Runtime } from '../../runtime';
import { requireRole } from '../auth';
import { ApiError } from '../errors';
import { flowIdParam, stringParam } from '../params';

/** "Save as test case" on a run, and the saved cases of a flow. */
export function testCasesRouter(runtime: Runtime): Router {
  const router = Router();
  const dir = runtime.config.flowsDir;

  router.post('/runs/:id/test-case', requireRole('analyst'), async (req, res) => {
    if (!isDevelopment(runtime.config)) {
      throw new ApiError(
        403,
        'read-only-environment',
        `Test cases are saved in development; "${runtime.config.envName}" is read-only.`,
      );
    }
    const id = stringParam(req.params.id, 'id');
    const body: unknown = req.body ?? {};
    const name = isJsonObject(body) ? body.name : undefined;
    if (typeof name !== 'string' || !TEST_CASE_NAME.test(name)) {
      throw new ApiError(
        400,
        'invalid-body',
        'Send {"name": "<lower-case letters, digits and dashes>"}.',
      );
    }
    const run = await runtime.runs.get(id);
    if (!run) throw new ApiError(404, 'not-found', `No run "${id}".`);
    if (run.status !== 'succeeded' && run.status !== 'failed') {
      throw new ApiError(
        409,
        'run-not-finished',
        `Run "${id}" is ${run.status}; wait until it ends.`,
      );
    }
    const truncated = truncatedNodes(run);
    if (truncated.length > 0) {
      throw new ApiError(
        409,
        'trace-truncated',
        `The trace of run "${id}" cut the output of ${truncated.map((n) => `"${n}"`).join(', ')} short (CROSSDOCK_TRACE_MAX_BYTES); it cannot be replayed as recorded.`,
      );
    }
    const testCase = testCaseFromRun(
      run,
      name,
      runtime.catalog,
      runtime.redactor,
      new Date(runtime.now()),
    );
    const overwrite = isJsonObject(body) && body.overwrite === true;
    const written = await writeTestCase(dir, testCase, overwrite);
    if (!written.created) {
      throw new ApiError(
        409,
        'exists',
        `"${run.flowId}" already has a test case "${name}"; choose another name or send "overwrite": true.`,
      );
    }
    res.status(201).json({
      path: `tests/${run.flowId}/${name}.json`,
      testCase,
    });
  });

  router.get('/flow-files/:id/test-cases', async (req, res) => {
    const id = flowIdParam(req.params.id);
    res.json({ testCases: await readTestCases(dir, id) });
  });

  return router;
}
