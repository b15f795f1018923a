/**
 * The Crossdock runtime as a library: wire a runtime (stores, queue, workers) and its HTTP API.
 * The `crossdock` CLI (`src/cli`) is the usual way in.
 */
export { type AppOptions, createApp, type HttpApp } from './api/app';
export {
  applyDevSecrets,
  deployFlowFiles,
  deployProcessFiles,
  startDevLandscape,
  unavailableConnections,
} from './cli/commands/dev-landscape';
// The CLI's commands as functions, for scripts and the cross-package tests. The development-only
// commands that load the sandbox (`sandbox`, `reset`) stay out: this entry must not load it.
export { DEV_SANDBOX_SECRETS } from './cli/commands/dev-secrets';
export { diffCommand } from './cli/commands/diff';
export { promoteCommand } from './cli/commands/promote';
export { reconcileCommand } from './cli/commands/reconcile';
export { shadowCommand } from './cli/commands/shadow';
export { testCommand } from './cli/commands/test-cases';
export type { NotSentRequest } from './context/dry-run';
export type {
  RunCheckpoint,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepRecord,
} from './engine/run-types';
export { isDevelopment, loadConfig, type Role, type RuntimeConfig } from './infra/config';
export type { ReconciliationRun } from './reconcile/reconcile-types';
export { createRuntime, type Runtime, type RuntimeDeps } from './runtime';
export type { ShadowReport } from './shadow/shadows';
export type { Breach } from './tower/object-state';
