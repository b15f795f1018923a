import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { declaredSecrets, type JsonValue } from '@crossdock/nodes';
import express, { Router } from 'express';
import { queueCounts } from '../../queue/run-queue';
import type { Runtime } from '../../runtime';
import { exceedsDepth, tooDeep } from '../body-guards';
import { ApiError } from '../errors';

/**
 * Checks `x-crossdock-signature` = hex HMAC-SHA256 of `<timestamp>.<raw body>`, with a timestamp
 * at most `toleranceMs` old and at most `skewMs` in the future (a sender's clock running ahead;
 * a wider future window would stretch how long a captured delivery stays replayable).
 */
export function verifySignature(
  secret: string,
  raw: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  now: number,
  toleranceMs: number,
  skewMs = toleranceMs,
): boolean {
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  const tsMs = ts < 1e12 ? ts * 1000 : ts;
  if (now - tsMs > toleranceMs || tsMs - now > skewMs) return false;
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
  const declared = declaredSecrets(runtime.environment);
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
      let signatureKey: string | undefined;
      if (target.signatureSecret) {
        // Only a secret the environment declares signs hooks: never HOME or any other variable.
        const secret = declared.has(target.signatureSecret)
          ? runtime.secrets.get(target.signatureSecret)
          : undefined;
        const signature = req.header('x-crossdock-signature');
        const ok =
          secret !== undefined &&
          verifySignature(
            secret,
            raw,
            req.header('x-crossdock-timestamp'),
            signature,
            runtime.now(),
            runtime.config.hookToleranceMs,
            runtime.config.hookSkewMs,
          );
        if (!ok)
          throw new ApiError(
            401,
            'invalid-signature',
            'The delivery is unsigned, wrongly signed, too old or dated in the future.',
          );
        signatureKey = runtime.keys.hookSignature(
          createHash('sha256')
            .update(`${hookPath}\u0000${String(signature).replace(/^sha256=/, '')}`)
            .digest('hex'),
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
        if (exceedsDepth(payload, runtime.config.maxJsonDepth))
          throw tooDeep(runtime.config.maxJsonDepth);
      }
      if (signatureKey !== undefined) {
        // Each signature is accepted once: kept as long as its timestamp could still pass.
        const fresh = await runtime.redis.set(
          signatureKey,
          String(runtime.now()),
          'PX',
          runtime.config.hookToleranceMs + runtime.config.hookSkewMs,
          'NX',
        );
        if (fresh !== 'OK') {
          throw new ApiError(
            409,
            'replayed-delivery',
            'This signed delivery was already accepted; a new delivery needs a new timestamp and signature.',
          );
        }
      }
      let started: Awaited<ReturnType<typeof runtime.service.start>>;
      try {
        started = await runtime.service.start({
          flowId: target.flowId,
          payload,
          triggerNodeId: target.nodeId,
          correlationId: String(res.locals.correlationId),
        });
      } catch (error) {
        // Not accepted after all: the sender may retry the same signed delivery.
        if (signatureKey !== undefined) await runtime.redis.del(signatureKey);
        throw error;
      }
      if (started.duplicate) res.status(200).json({ runId: started.runId, duplicate: true });
      else res.status(202).json({ runId: started.runId });
    },
  );
  return router;
}
