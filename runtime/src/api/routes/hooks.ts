import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '@crossdock/nodes';
import express, { Router } from 'express';
import type { Runtime } from '../../runtime';
import type { IntakeRefused } from '../../service/run-service';
import { ApiError } from '../errors';
import { retryAfterSeconds } from '../retry-after';

/** Checks `x-crossdock-signature` = hex HMAC-SHA256 of `<timestamp>.<raw body>`, timestamp fresh. */
export function verifySignature(
  secret: string,
  raw: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  now: number,
  toleranceMs: number,
): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  const tsMs = ts < 1e12 ? ts * 1000 : ts;
  if (Math.abs(now - tsMs) > toleranceMs) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
  const given = signature.replace(/^sha256=/, '');
  return (
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/**
 * `POST /hooks/<path>`: the webhook trigger. Refuses work it cannot hold (429 with Retry-After
 * above the configured queue depth) and answers a repeated delivery with the existing run id.
 */
export function hooksRouter(runtime: Runtime): Router {
  const router = Router();

  router.post(
    '/*path',
    express.raw({ type: () => true, limit: runtime.config.bodyLimit }),
    async (req, res) => {
      const segments = (req.params as { path?: string[] }).path ?? [];
      const hookPath = segments.join('/');
      let target = await runtime.flows.hook(hookPath);
      if (!target) {
        // A path nobody listens on may be a flow lost with Redis's data: check before a 404
        // (the check restores the flows where it can; then the path is looked up again).
        const found = await runtime.checkEpoch();
        if (found?.restored) target = await runtime.flows.hook(hookPath);
      }
      const loss = runtime.dataLoss();
      if (loss && !loss.restored) {
        // The flows may be gone with the data: "try again later" keeps the partner resending.
        res.setHeader('retry-after', '30');
        throw new ApiError(
          503,
          'data-loss',
          'The runtime lost its Redis data and is not ready to accept deliveries; retry later.',
        );
      }
      if (!target)
        throw new ApiError(404, 'not-found', `No deployed flow listens on /hooks/${hookPath}.`);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (target.signatureSecret) {
        const secret = runtime.secrets.get(target.signatureSecret);
        const ok =
          secret !== undefined &&
          verifySignature(
            secret,
            raw,
            req.header('x-crossdock-timestamp'),
            req.header('x-crossdock-signature'),
            runtime.now(),
            runtime.config.hookToleranceMs,
          );
        if (!ok)
          throw new ApiError(
            401,
            'invalid-signature',
            'The delivery is unsigned, wrongly signed or too old.',
          );
      }
      let payload: JsonValue;
      if (target.contentType === 'text') payload = raw.toString('utf8');
      else {
        try {
          payload = raw.length === 0 ? null : (JSON.parse(raw.toString('utf8')) as JsonValue);
        } catch {
          throw new ApiError(400, 'invalid-json', 'The webhook body is not valid JSON.');
        }
      }
      let started: Awaited<ReturnType<Runtime['service']['start']>>;
      try {
        // The depth check is part of the intake script: no burst slips past the limit.
        started = await runtime.service.start({
          flowId: target.flowId,
          payload,
          triggerNodeId: target.nodeId,
          correlationId: String(res.locals.correlationId),
          maxDepth: runtime.config.maxQueueDepth,
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'IntakeRefused') {
          const refused = error as IntakeRefused;
          if (refused.reason === 'queue-full') {
            const rate = await runtime.runs.drainRate(runtime.now());
            const depth = refused.depth ?? runtime.config.maxQueueDepth;
            const wait = retryAfterSeconds(depth, runtime.config.maxQueueDepth, rate);
            res.setHeader('retry-after', String(wait));
            throw new ApiError(429, 'queue-full', refused.message);
          }
        }
        throw error;
      }
      if (started.duplicate) res.status(200).json({ runId: started.runId, duplicate: true });
      else res.status(202).json({ runId: started.runId });
    },
  );
  return router;
}
