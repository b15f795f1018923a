/**
 * The runtime's test kit, one helper per chore (`@crossdock/runtime/testing`): a test's own
 * Redis prefix and its cleanup, waits with a deadline, one local HTTP endpoint, and a runtime
 * wired to a flows folder of its own. Test-only: nothing in `src` imports it.
 *
 * It also gives the cross-package tests in `test/` white-box access to the runtime parts they
 * drive or inspect directly (the key layout, rate limiter, transport pool, SFTP poller, ...):
 * those re-exports from `../` are not the runtime's public API (that is `@crossdock/runtime`).
 */
export { forbiddenAddressReason } from '../context/address-policy';
export { RateLimiter } from '../context/rate-limiter';
export { redisCache } from '../context/run-state';
export { createSecrets } from '../context/secrets';
export { hasRedisBinaries, type LocalCluster, startLocalCluster } from '../infra/local-cluster';
export { createLogger } from '../infra/logger';
export { Redactor } from '../infra/redaction';
export { ReconcileSchedules } from '../reconcile/reconcile-schedules';
export { ReconcileStore } from '../reconcile/reconcile-store';
export { inSample } from '../shadow/shadows';
export { keySlot } from '../store/key-slot';
export { createKeys } from '../store/keys';
export { compactTraces } from '../store/trace-compaction';
export { summarize } from '../tower/tower-queries';
export { stepCapability } from '../transports/capability';
export { TransportPool } from '../transports/pool';
export { pollFolder, sftpTriggersOf } from '../transports/sftp-trigger';
export { freePort } from './free-port';
export { flowsDirFor, memoryLog, type TestRuntimeOptions, testRuntime } from './harness';
export { startTestServer, type TestServer } from './http-server';
export { cleanRedis, TEST_REDIS_URL, uniquePrefix } from './redis-prefix';
export { until, waitForRun } from './wait';
