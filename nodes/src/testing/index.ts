/**
 * `@crossdock/nodes/testing`: what tests in every package use to exercise nodes, imported by
 * package name like any other entry point.
 */
export { payloadAt } from './emissions';
export { type FakeContextExtras, fakeContext, message } from './fake-context';
export {
  type FakePublished,
  type FakeTransportSeed,
  type FakeTransports,
  fakeTransports,
} from './fake-transports';
export {
  echo,
  json,
  type RecordedRequest,
  startTestServer,
  type TestHandler,
  type TestServer,
} from './http-server';
export { sampleFlow } from './sample-flow';
