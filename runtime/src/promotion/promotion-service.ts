import type { FlowDocument } from '@crossdock/nodes';
import semver from 'semver';
import type { Runtime } from '../runtime';
import type { Caller } from '../service/caller';
import { ServiceError } from '../service/service-error';
import type { CutoverCheck } from '../shadow/cutover';
import { contentHash, type Deployment } from '../store/flow-store';
import { checkEnvironment } from './environment-check';
import {
  type Promotion,
  type PromotionStore,
  requestedPromotion,
  withoutDocument,
} from './promotion-store';

export interface PromoteOptions {
  from?: string;
  commit?: string;
  /** Check everything, change nothing. */
  dryRun?: boolean;
}

/** What a promotion request came to. */
export interface PromoteOutcome {
  status: 'ready' | 'unchanged' | 'pending' | 'published';
  promotion?: Promotion;
  /** What the environment runs now (null when the flow is new here). */
  current: { version: string; hash: string; flow: FlowDocument } | null;
  /** The environment's cutover criterion against this version's best shadow, when it sets one. */
  cutover?: CutoverGate;
}

/** Whether the cutover criterion lets this version in (see docs/cutover.md). */
export interface CutoverGate extends CutoverCheck {
  /** True when promotion here needs the criterion met for this flow. */
  required: boolean;
  /** The shadow whose report was counted. */
  shadowId?: string;
}

/** `settings.promotion.approvals` of the runtime's environment (1 when unset). */
export function approvalsRequired(runtime: Runtime): number {
  const promotion = runtime.environment.settings?.promotion;
  const n =
    typeof promotion === 'object' && promotion !== null
      ? (promotion as { approvals?: unknown }).approvals
      : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
}

/** The content without its version number: a bump alone does not make a new flow. */
function bodyHash(flow: FlowDocument): string {
  return contentHash({ ...flow, version: '0.0.0' });
}

function summary(d: Deployment | undefined): PromoteOutcome['current'] {
  return d ? { version: d.flow.version, hash: d.hash, flow: d.flow } : null;
}

/**
 * Promotion into this runtime's environment: the only way new versions arrive outside
 * development. Checks bindings and secrets here, refuses a changed version that was not bumped
 * and a bump that changes nothing, holds it for a second admin when the environment asks, and
 * rolls back by making an earlier version active.
 */
export class PromotionService {
  constructor(
    private readonly runtime: Runtime,
    private readonly store: PromotionStore,
    private readonly newId: () => string,
  ) {}

  private now(): string {
    return new Date(this.runtime.now()).toISOString();
  }

  /** Refuses what cannot be published; returns the active deployment. */
  private async check(flow: FlowDocument): Promise<{
    active: Deployment | undefined;
    unchanged: boolean;
  }> {
    const { runtime } = this;
    const problems = checkEnvironment(flow, runtime.catalog, runtime.environment, (name) =>
      runtime.secrets.get(name),
    );
    if (problems.length > 0) {
      throw new ServiceError(
        'environment-incomplete',
        `"${runtime.config.envName}" cannot run ${flow.id}@${flow.version}: ${problems.map((p) => p.message).join(' ')}`,
        { problems },
      );
    }
    const hash = contentHash(flow);
    const existing = await runtime.flows.get(flow.id, flow.version);
    if (existing && existing.hash !== hash) {
      throw new ServiceError(
        'version-conflict',
        `Version ${flow.version} of "${flow.id}" is already deployed in "${runtime.config.envName}" with different content; bump the version.`,
        { hash: existing.hash, deployedAt: existing.deployedAt },
      );
    }
    const active = await runtime.flows.latest(flow.id);
    if (!existing && active && bodyHash(active.flow) === bodyHash(flow)) {
      throw new ServiceError(
        'content-unchanged',
        `Version ${flow.version} of "${flow.id}" has the same content as the deployed ${active.flow.version}; there is nothing to promote.`,
      );
    }
    if (
      !existing &&
      active &&
      semver.valid(flow.version) &&
      semver.valid(active.flow.version) &&
      semver.lte(flow.version, active.flow.version)
    ) {
      throw new ServiceError(
        'version-not-bumped',
        `Version ${flow.version} of "${flow.id}" is not above the deployed ${active.flow.version}; bump the version.`,
      );
    }
    return { active, unchanged: existing !== undefined };
  }

  /**
   * The cutover criterion for this version; refuses it (`cutover-not-met`) when the
   * environment requires the criterion and no shadow of this content meets it yet.
   */
  private async cutover(flow: FlowDocument, refuse: boolean): Promise<CutoverGate | undefined> {
    const gate = await this.runtime.shadows.promotionGate(flow);
    if (!gate.check) return undefined;
    const result: CutoverGate = {
      ...gate.check,
      required: gate.required,
      ...(gate.shadowId !== undefined ? { shadowId: gate.shadowId } : {}),
    };
    if (refuse && gate.required && !gate.check.met) {
      const failing = gate.check.checks.filter((c) => !c.met).map((c) => c.detail);
      throw new ServiceError(
        'cutover-not-met',
        `"${this.runtime.config.envName}" requires the cutover criterion for ${flow.id}@${flow.version}, and ${gate.shadowId ? `shadow ${gate.shadowId}` : 'no shadow of this version'} does not meet it: ${failing.join('; ')}.`,
        { cutover: result },
      );
    }
    return result;
  }

  async promote(flow: FlowDocument, by: Caller, options: PromoteOptions): Promise<PromoteOutcome> {
    const { active, unchanged } = await this.check(flow);
    const current = summary(active);
    if (unchanged) return { status: 'unchanged', current };
    const cutover = await this.cutover(flow, options.dryRun !== true);
    const withCutover = cutover ? { cutover } : {};
    if (options.dryRun) return { status: 'ready', current, ...withCutover };
    const required = approvalsRequired(this.runtime);
    const promotion = requestedPromotion({
      id: this.newId(),
      document: { flowId: flow.id, flow },
      version: flow.version,
      hash: contentHash(flow),
      by,
      at: this.now(),
      origin: options,
      previousVersion: active?.flow.version,
      approvalsRequired: required,
    });
    if (required > 1) {
      await this.store.save(promotion);
      return { status: 'pending', promotion: withoutDocument(promotion), current, ...withCutover };
    }
    return {
      status: 'published',
      promotion: await this.publish(promotion, flow),
      current,
      ...withCutover,
    };
  }

  /** A further admin approves a pending promotion; the last approval publishes it. */
  async approve(id: string, by: Caller): Promise<Promotion> {
    const promotion = await this.store.get(id);
    if (!promotion) throw new ServiceError('not-found', `No promotion "${id}".`);
    if (promotion.status !== 'pending' || !promotion.flow) {
      throw new ServiceError('not-pending', `Promotion "${id}" is ${promotion.status}.`);
    }
    if (promotion.approvals.some((a) => a.keyId === by.keyId)) {
      throw new ServiceError(
        'same-approver',
        `This key already approved promotion "${id}"; another admin's key must approve it.`,
      );
    }
    const flow = promotion.flow;
    await this.check(flow);
    await this.cutover(flow, true);
    const approved: Promotion = {
      ...promotion,
      approvals: [...promotion.approvals, { by: by.actor, keyId: by.keyId, at: this.now() }],
    };
    if (approved.approvals.length < approved.approvalsRequired) {
      await this.store.save(approved);
      return withoutDocument(approved);
    }
    return this.publish(approved, flow);
  }

  private async publish(promotion: Promotion, flow: FlowDocument): Promise<Promotion> {
    const result = await this.runtime.flows.deploy(
      flow,
      promotion.requestedBy,
      new Date(this.runtime.now()),
      false,
      {
        promotionId: promotion.id,
        ...(promotion.from !== undefined ? { from: promotion.from } : {}),
        ...(promotion.commit !== undefined ? { commit: promotion.commit } : {}),
      },
    );
    if (result.status === 'conflict') {
      throw new ServiceError('version-conflict', `Version ${flow.version} was deployed meanwhile.`);
    }
    // After a rollback a higher version may exist; the promoted one becomes active regardless.
    const active = await this.runtime.flows.latest(flow.id);
    if (active?.flow.version !== flow.version) {
      await this.runtime.flows.activate(flow.id, flow.version);
    }
    const published: Promotion = {
      ...withoutDocument(promotion),
      status: 'published',
      publishedAt: this.now(),
    };
    await this.store.save(published);
    return published;
  }

  /** Makes `version` (default: the deployed version just below the active one) active. */
  async rollback(flowId: string, by: Caller, version?: string): Promise<Promotion> {
    const active = await this.runtime.flows.latest(flowId);
    if (!active) throw new ServiceError('not-found', `No deployed flow "${flowId}".`);
    const versions = (await this.runtime.flows.versions(flowId)).filter((v) => !v.test);
    const target =
      version ??
      versions.find(
        (v) =>
          semver.valid(v.version) &&
          semver.valid(active.flow.version) &&
          semver.lt(v.version, active.flow.version),
      )?.version;
    if (!target) {
      throw new ServiceError(
        'no-previous-version',
        `"${flowId}" has no version before ${active.flow.version} to roll back to.`,
      );
    }
    const deployment = await this.runtime.flows.activate(flowId, target);
    if (!deployment) throw new ServiceError('not-found', `No version ${target} of "${flowId}".`);
    const at = this.now();
    const record: Promotion = {
      id: this.newId(),
      kind: 'rollback',
      flowId,
      version: target,
      hash: deployment.hash,
      status: 'published',
      requestedBy: by.actor,
      requestedAt: at,
      previousVersion: active.flow.version,
      approvalsRequired: 1,
      approvals: [{ by: by.actor, keyId: by.keyId, at }],
      publishedAt: at,
    };
    await this.store.save(record);
    return record;
  }
}
