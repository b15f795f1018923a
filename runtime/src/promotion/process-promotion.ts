import type { ProcessDocument } from '@crossdock/nodes';
import semver from 'semver';
import type { Runtime } from '../runtime';
import type { Caller } from '../service/caller';
import { ServiceError } from '../service/service-error';
import { type ProcessDeployment, processHash } from '../tower/process-store';
import { checkDeployableProcess } from '../tower/process-validation';
import { approvalsRequired } from './promotion-service';
import {
  type Promotion,
  type PromotionStore,
  requestedPromotion,
  withoutDocument,
} from './promotion-store';

export interface ProcessPromoteOptions {
  from?: string;
  commit?: string;
  dryRun?: boolean;
}

/** What a process promotion request came to. */
export interface ProcessPromoteOutcome {
  status: 'ready' | 'unchanged' | 'pending' | 'published';
  promotion?: Promotion;
  /** What the environment observes now (null when the process is new here). */
  current: { version: string; hash: string; process: ProcessDocument } | null;
}

/** The content without its version number: a bump alone does not make a new process. */
function bodyHash(process: ProcessDocument): string {
  return processHash({ ...process, version: '0.0.0' });
}

/**
 * Promotion of business process files into this runtime's environment, with the flows' rules
 * and the same audit records: validated here against the flows this environment runs and its
 * connections, a changed file must bump its version and a bump must change something, a second
 * admin approves when the environment asks, and a rollback makes an earlier version active.
 */
export class ProcessPromotions {
  constructor(
    private readonly runtime: Runtime,
    private readonly store: PromotionStore,
    private readonly newId: () => string,
  ) {}

  private now(): string {
    return new Date(this.runtime.now()).toISOString();
  }

  /** Refuses what cannot be published here; returns the active deployment. */
  private async check(doc: unknown): Promise<{
    process: ProcessDocument;
    active: ProcessDeployment | undefined;
    unchanged: boolean;
  }> {
    const { runtime } = this;
    const checked = await checkDeployableProcess(runtime, doc);
    if (!checked.process) {
      const errors = checked.diagnostics.filter((d) => d.severity === 'error');
      throw new ServiceError(
        'invalid-process',
        `"${runtime.config.envName}" cannot observe this process: ${errors.map((d) => `${d.pointer.join('.') || '(document)'}: ${d.message}`).join(' ')}`,
        { diagnostics: checked.diagnostics },
      );
    }
    const process = checked.process;
    const store = runtime.tower.processes;
    const existing = await store.get(process.id, process.version);
    if (existing && existing.hash !== processHash(process)) {
      throw new ServiceError(
        'version-conflict',
        `Version ${process.version} of process "${process.id}" is already deployed in "${runtime.config.envName}" with different content; bump the version.`,
        { hash: existing.hash, deployedAt: existing.deployedAt },
      );
    }
    const active = await store.active(process.id);
    if (!existing && active && bodyHash(active.process) === bodyHash(process)) {
      throw new ServiceError(
        'content-unchanged',
        `Version ${process.version} of process "${process.id}" has the same content as the deployed ${active.process.version}; there is nothing to promote.`,
      );
    }
    if (
      !existing &&
      active &&
      semver.valid(process.version) &&
      semver.valid(active.process.version) &&
      semver.lte(process.version, active.process.version)
    ) {
      throw new ServiceError(
        'version-not-bumped',
        `Version ${process.version} of process "${process.id}" is not above the deployed ${active.process.version}; bump the version.`,
      );
    }
    return { process, active, unchanged: existing !== undefined };
  }

  async promote(
    doc: unknown,
    by: Caller,
    options: ProcessPromoteOptions,
  ): Promise<ProcessPromoteOutcome> {
    const { process, active, unchanged } = await this.check(doc);
    const current = active
      ? { version: active.process.version, hash: active.hash, process: active.process }
      : null;
    if (unchanged) return { status: 'unchanged', current };
    if (options.dryRun) return { status: 'ready', current };
    const required = approvalsRequired(this.runtime);
    const promotion = requestedPromotion({
      id: this.newId(),
      document: { processId: process.id, process },
      version: process.version,
      hash: processHash(process),
      by,
      at: this.now(),
      origin: options,
      previousVersion: active?.process.version,
      approvalsRequired: required,
    });
    if (required > 1) {
      await this.store.save(promotion);
      return { status: 'pending', promotion: withoutDocument(promotion), current };
    }
    return { status: 'published', promotion: await this.publish(promotion, process), current };
  }

  /** A further admin approves a pending process promotion; the last approval publishes it. */
  async approve(promotion: Promotion, by: Caller): Promise<Promotion> {
    const process = promotion.process;
    if (promotion.status !== 'pending' || !process) {
      throw new ServiceError('not-pending', `Promotion "${promotion.id}" is ${promotion.status}.`);
    }
    if (promotion.approvals.some((a) => a.keyId === by.keyId)) {
      throw new ServiceError(
        'same-approver',
        `This key already approved promotion "${promotion.id}"; another admin's key must approve it.`,
      );
    }
    await this.check(process);
    const approved: Promotion = {
      ...promotion,
      approvals: [...promotion.approvals, { by: by.actor, keyId: by.keyId, at: this.now() }],
    };
    if (approved.approvals.length < approved.approvalsRequired) {
      await this.store.save(approved);
      return withoutDocument(approved);
    }
    return this.publish(approved, process);
  }

  private async publish(promotion: Promotion, process: ProcessDocument): Promise<Promotion> {
    const store = this.runtime.tower.processes;
    const result = await store.deploy(
      process,
      promotion.requestedBy,
      new Date(this.runtime.now()),
      {
        promotionId: promotion.id,
        ...(promotion.from !== undefined ? { from: promotion.from } : {}),
        ...(promotion.commit !== undefined ? { commit: promotion.commit } : {}),
      },
    );
    if (result.status === 'conflict') {
      throw new ServiceError(
        'version-conflict',
        `Version ${process.version} of process "${process.id}" was deployed meanwhile.`,
      );
    }
    // After a rollback a higher version may exist; the promoted one becomes active regardless.
    const active = await store.active(process.id);
    if (active?.process.version !== process.version)
      await store.activate(process.id, process.version);
    const published: Promotion = {
      ...withoutDocument(promotion),
      status: 'published',
      publishedAt: this.now(),
    };
    await this.store.save(published);
    return published;
  }

  /** Makes `version` (default: the deployed version just below the active one) active. */
  async rollback(processId: string, by: Caller, version?: string): Promise<Promotion> {
    const store = this.runtime.tower.processes;
    const active = await store.active(processId);
    if (!active) throw new ServiceError('not-found', `No deployed process "${processId}".`);
    const target =
      version ??
      (await store.versions(processId)).find(
        (v) =>
          semver.valid(v.version) &&
          semver.valid(active.process.version) &&
          semver.lt(v.version, active.process.version),
      )?.version;
    if (!target) {
      throw new ServiceError(
        'no-previous-version',
        `Process "${processId}" has no version before ${active.process.version} to roll back to.`,
      );
    }
    const deployment = await store.activate(processId, target);
    if (!deployment)
      throw new ServiceError('not-found', `No version ${target} of process "${processId}".`);
    const at = this.now();
    const record: Promotion = {
      id: this.newId(),
      kind: 'rollback',
      processId,
      version: target,
      hash: deployment.hash,
      status: 'published',
      requestedBy: by.actor,
      requestedAt: at,
      previousVersion: active.process.version,
      approvalsRequired: 1,
      approvals: [{ by: by.actor, keyId: by.keyId, at }],
      publishedAt: at,
    };
    await this.store.save(record);
    return record;
  }
}
