import type {
  Deployment as DeploymentBody,
  Promotion as PromotionBody,
  RunWithSteps as RunBody,
  Shadow as ShadowBody,
  ShadowReport as ShadowReportBody,
} from '@crossdock/nodes/api';
import type { RunWithSteps } from '../engine/run-types';
import type { Promotion } from '../promotion/promotion-store';
import type { Shadow } from '../shadow/shadow-store';
import type { ShadowReport } from '../shadow/shadows';
import type { Deployment } from '../store/flow-store';

/**
 * Compile-time ties between the records the routes send as they are and the API contract: a
 * record that no longer fits its body type, or gains a top-level field the contract lacks, fails
 * `pnpm typecheck` here; the contract test (test/api-contract.ts) checks every level at run time.
 */
type Fits<A, B> = [A] extends [B]
  ? [Exclude<keyof A, keyof B>] extends [never]
    ? true
    : false
  : false;
export const recordsFitTheContract: [
  Fits<RunWithSteps, RunBody>,
  Fits<Deployment, DeploymentBody>,
  Fits<Promotion, PromotionBody>,
  Fits<Shadow, ShadowBody>,
  Fits<ShadowReport, ShadowReportBody>,
] = [true, true, true, true, true];
