/**
 * The Crossdock runtime as a library: wire a runtime (stores, queue, workers) and its HTTP API.
 * The `crossdock` CLI (`src/cli`) is the usual way in.
 */
export { type AppOptions, createApp } from './api/app';
export type {
  RunCheckpoint,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepRecord,
} from './engine/run-types';
export { isDevelopment, loadConfig, type Role, type RuntimeConfig } from './infra/config';
export { createRuntime, type Runtime, type RuntimeDeps } from './runtime';
