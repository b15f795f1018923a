import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '@crossdock/nodes';
import express, { Router } from 'express';
import { queueCounts } from '../../queue/run-queue';
import type { Runtime } from '../../runtime';
import { ApiError } from '../errors';
import { logDuplicate } from './duplicate-log';

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
  let depth = { at: 0, value: 0 };

  async function queueDepth(): Promise<number> {
    const now = runtime.now();
    if (now - depth.at > 250) {
      const c = await queueCounts(runtime.queue);
      depth = { at: now, value: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) };
    }
    return depth.value;
  }

  router.post(
    '/*path',
    express.raw({ type: () => true, limit: runtime.config.bodyLimit }),
    async (req, res) => {
      const segments = (req.params as { path?: string[] }).path ?? [];
      const hookPath = segments.join('/');
      const target = await runtime.flows.hook(hookPath);
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
      if ((await queueDepth()) >= runtime.config.maxQueueDepth) {
        res.setHeader('retry-after', '5');
        throw new ApiError(
          429,
          'queue-full',
          'The runtime is at its queue depth limit; retry later.',
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
      const started = await runtime.service.start({
        flowId: target.flowId,
        payload,
        triggerNodeId: target.nodeId,
        correlationId: String(res.locals.correlationId),
      });
      if (started.duplicate) await logDuplicate(runtime, target.flowId, started.runId, 'webhook');
      if (started.duplicate) res.status(200).json({ runId: started.runId, duplicate: true });
      else res.status(202).json({ runId: started.runId });
    },
  );
  return router;
}
