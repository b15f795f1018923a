import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { declaredSecrets, type JsonValue, type WebhookReply } from '@crossdock/nodes';
import express, { Router } from 'express';
import type { Runtime } from '../../runtime';
import type { IntakeRefused } from '../../service/run-service';
import { exceedsDepth, tooDeep } from '../body-guards';
import { ApiError } from '../errors';
import { asExpress } from '../express-objects';
import { retryAfterSeconds } from '../retry-after';
import { logDuplicate } from './duplicate-log';

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

/** Sends a flow's answer: JSON unless the flow set a non-JSON content type for a string body. */
function sendReply(
  req: IncomingMessage,
  plainRes: ServerResponse,
  runId: string,
  reply: WebhookReply,
): void {
  const { res } = asExpress(req, plainRes);
  res.status(reply.status);
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.setHeader('x-crossdock-run-id', runId);
  // An answer is data for a system, never a page: an echoed payload cannot run on our origin.
  res.setHeader('content-security-policy', "default-src 'none'; sandbox");
  res.setHeader('x-content-type-options', 'nosniff');
  const type = reply.headers['content-type'];
  if (typeof reply.body === 'string' && type !== undefined && !/json/i.test(type)) {
    res.send(reply.body);
    return;
  }
  if (type === undefined) res.type('application/json');
  res.send(JSON.stringify(reply.body));
}

/**
 * What a webhook delivery does once its body is read: one implementation, used by the express
 * route and by the server's fast path (`hook-fast-path.ts`). Answers through `res`, or throws
 * for the app's error handler.
 */
export type HookIntake = (
  hookPath: string,
  raw: Buffer,
  req: IncomingMessage,
  res: ServerResponse & { locals: Record<string, unknown> },
) => Promise<void>;

/**
 * `POST /hooks/<path>`: the webhook trigger. Refuses work it cannot hold (429 with Retry-After
 * above the configured queue depth) and answers a repeated delivery with the existing run id.
 */
export function hookIntake(runtime: Runtime): HookIntake {
  const declared = declaredSecrets(runtime.environment);
  return async (hookPath, raw, req, res) => {
    let target = await runtime.activations.hook(hookPath);
    if (!target) {
      // A path nobody listens on may be a flow lost with Redis's data: check before a 404
      // (the check restores the flows where it can; then the path is looked up again).
      const found = await runtime.checkEpoch();
      if (found?.restored) target = await runtime.activations.hook(hookPath);
    }
    const loss = runtime.dataLoss();
    if (loss && !loss.restored) {
      // The flows may be gone with the data: "try again later" keeps the partner resending.
      res.setHeader('retry-after', '30');
      throw new ApiError(
        503,
        'data-loss',
        loss.global
          ? 'The runtime lost its Redis data and is not ready to accept deliveries; retry later.'
          : `The runtime lost the run data of partitions ${loss.partitions.join(', ')} and is not ready to accept deliveries; retry later.`,
      );
    }
    if (!target)
      throw new ApiError(404, 'not-found', `No deployed flow listens on /hooks/${hookPath}.`);
    let signatureKey: string | undefined;
    if (target.signatureSecret) {
      // Only a secret the environment declares signs hooks: never HOME or any other variable.
      const secret = declared.has(target.signatureSecret)
        ? runtime.secrets.get(target.signatureSecret)
        : undefined;
      // Read as express's `req.header` reads them (the fast path's request is a plain one).
      const signature = req.headers['x-crossdock-signature'] as string | undefined;
      const ok =
        secret !== undefined &&
        verifySignature(
          secret,
          raw,
          req.headers['x-crossdock-timestamp'] as string | undefined,
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
    let started: Awaited<ReturnType<Runtime['service']['start']>>;
    try {
      // The depth check is part of the intake script: no burst slips past the limit.
      started = await runtime.service.start({
        flowId: target.flowId,
        payload,
        triggerNodeId: target.nodeId,
        correlationId: String(res.locals.correlationId),
        maxDepth: runtime.config.maxQueueDepth,
        ...(target.replyTimeoutMs !== undefined ? { awaitsReply: true } : {}),
      });
    } catch (error) {
      // Not accepted after all: the sender may retry the same signed delivery.
      if (signatureKey !== undefined) await runtime.redis.del(signatureKey);
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
    if (started.duplicate) {
      await logDuplicate(runtime, target.flowId, started.runId, 'webhook');
      asExpress(req, res).res.status(200).json({ runId: started.runId, duplicate: true });
      return;
    }
    if (target.replyTimeoutMs !== undefined) {
      // The run is recorded and queued: only now does the caller wait, and never past the
      // timeout or its own disconnect.
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const outcome = await runtime.replies.wait(started.runId, target.replyTimeoutMs, gone.signal);
      if (outcome.kind === 'reply') {
        sendReply(req, res, started.runId, outcome.reply);
        return;
      }
      if (outcome.kind === 'none' && outcome.why === 'gone') return;
    }
    // Flow control: with a backlog, the answer waits (the run is recorded and queued already).
    const pause = await runtime.intakeFlow.pauseMs(started.waiting);
    if (pause > 0) {
      await sleep(pause);
      if (res.destroyed) return;
    }
    // Written directly: the busiest answer of the runtime needs neither an ETag nor `send`'s
    // content negotiation (a POST answer is never conditional).
    res.statusCode = 202;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ runId: started.runId }));
  };
}

/** The express route of `hookIntake`, for the requests the fast path leaves to express. */
export function hooksRouter(runtime: Runtime, intake: HookIntake = hookIntake(runtime)): Router {
  const router = Router();
  router.post(
    '/*path',
    express.raw({ type: () => true, limit: runtime.config.bodyLimit }),
    (req, res) => {
      const segments = (req.params as { path?: string[] }).path ?? [];
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return intake(segments.join('/'), raw, req, res);
    },
  );
  return router;
}
