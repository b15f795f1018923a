/**
 * The runtime's test kit, one helper per chore (`@crossdock/runtime/testing`): a test's own
 * Redis prefix and its cleanup, waits with a deadline, one local HTTP endpoint, and a runtime
 * wired to a flows folder of its own. Test-only: nothing in `src` imports it.
 */
export { flowsDirFor, memoryLog, type TestRuntimeOptions, testRuntime } from './harness';
export { startTestServer, type TestServer } from './http-server';
export { cleanRedis, TEST_REDIS_URL, uniquePrefix } from './redis-prefix';
export { until, waitForRun } from './wait';
