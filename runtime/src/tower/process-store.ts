import { createHash } from 'node:crypto';
import { formatProcess, type ProcessDocument } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import semver from 'semver';
import type { DeploymentOrigin } from '../store/flow-store';
import type { Keys } from '../store/keys';

/** A deployed business process version: immutable once written, like a flow version. */
export interface ProcessDeployment extends DeploymentOrigin {
  process: ProcessDocument;
  hash: string;
  deployedAt: string;
  deployedBy: string;
}

export type ProcessDeployResult =
  | { status: 'created' | 'unchanged'; deployment: ProcessDeployment }
  | { status: 'conflict'; existing: ProcessDeployment };

/** One row of `GET /api/processes/:id/versions`. */
export interface ProcessVersionSummary {
  version: string;
  name: string;
  hash: string;
  deployedAt: string;
  deployedBy: string;
  from?: string;
  commit?: string;
  promotionId?: string;
  /** The version the control tower observes with (the latest, or a rollback's target). */
  active?: boolean;
}

/** sha256 of the canonical text: formatting never changes a version's identity. */
export function processHash(process: ProcessDocument): string {
  return createHash('sha256').update(formatProcess(process)).digest('hex');
}

/**
 * Deployed business process versions on Redis, mirroring the flow store: one hash per process
 * (version -> deployment, written once), the active version of each, and a change channel every
 * runtime listens on, so a deploy, promotion or rollback reaches every worker without a restart.
 * Documents are stored as given: callers validate first (`validDeployableProcess`).
 */
export class ProcessStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    /** Told after every change this process writes (the others hear the announcement). */
    private readonly onChanged: () => void = () => {},
  ) {}

  /** The channel a runtime subscribes to (see `Tower.watch`). */
  get channel(): string {
    return this.keys.processesChanged;
  }

  /**
   * Deploys a version. The same content again is a no-op, other content under a deployed
   * number a conflict. It becomes active when it is above the active version (or the first).
   */
  async deploy(
    process: ProcessDocument,
    by: string,
    now: Date,
    origin: DeploymentOrigin = {},
  ): Promise<ProcessDeployResult> {
    const deployment: ProcessDeployment = {
      process,
      hash: processHash(process),
      deployedAt: now.toISOString(),
      deployedBy: by,
      ...origin,
    };
    const created = await this.redis.hsetnx(
      this.keys.processVersions(process.id),
      process.version,
      JSON.stringify(deployment),
    );
    if (created === 0) {
      const existing = await this.get(process.id, process.version);
      if (!existing) throw new Error(`Version ${process.version} of ${process.id} vanished.`);
      return existing.hash === deployment.hash
        ? { status: 'unchanged', deployment: existing }
        : { status: 'conflict', existing };
    }
    await this.redis.sadd(this.keys.processIds, process.id);
    const current = await this.redis.hget(this.keys.processActive, process.id);
    const newer =
      !current ||
      !semver.valid(current) ||
      !semver.valid(process.version) ||
      semver.gt(process.version, current);
    if (newer) await this.redis.hset(this.keys.processActive, process.id, process.version);
    await this.changed();
    return { status: 'created', deployment };
  }

  /** Makes a deployed version the active one, whatever its number (a rollback). */
  async activate(id: string, version: string): Promise<ProcessDeployment | undefined> {
    const deployment = await this.get(id, version);
    if (!deployment) return undefined;
    await this.redis.hset(this.keys.processActive, id, version);
    await this.changed();
    return deployment;
  }

  async get(id: string, version: string): Promise<ProcessDeployment | undefined> {
    const raw = await this.redis.hget(this.keys.processVersions(id), version);
    return raw ? (JSON.parse(raw) as ProcessDeployment) : undefined;
  }

  /** The active version of one process. */
  async active(id: string): Promise<ProcessDeployment | undefined> {
    const version = await this.redis.hget(this.keys.processActive, id);
    return version ? this.get(id, version) : undefined;
  }

  /** The active version of every process, ordered by id. */
  async allActive(): Promise<ProcessDeployment[]> {
    const active = Object.entries(await this.redis.hgetall(this.keys.processActive)).sort(
      ([a], [b]) => a.localeCompare(b),
    );
    const out: ProcessDeployment[] = [];
    for (const [id, version] of active) {
      const d = await this.get(id, version);
      if (d) out.push(d);
    }
    return out;
  }

  /** Every deployed version of a process, newest number first. */
  async versions(id: string): Promise<ProcessVersionSummary[]> {
    const [all, active] = await Promise.all([
      this.redis.hgetall(this.keys.processVersions(id)),
      this.redis.hget(this.keys.processActive, id),
    ]);
    return Object.entries(all)
      .map(([version, raw]) => {
        const d = JSON.parse(raw) as ProcessDeployment;
        return {
          version,
          name: d.process.name,
          hash: d.hash,
          deployedAt: d.deployedAt,
          deployedBy: d.deployedBy,
          ...(d.from !== undefined ? { from: d.from } : {}),
          ...(d.commit !== undefined ? { commit: d.commit } : {}),
          ...(d.promotionId !== undefined ? { promotionId: d.promotionId } : {}),
          ...(version === active ? { active: true } : {}),
        };
      })
      .sort((a, b) =>
        semver.valid(a.version) && semver.valid(b.version)
          ? semver.rcompare(a.version, b.version)
          : b.version.localeCompare(a.version),
      );
  }

  /** Tells every runtime (this one included) to read the active versions again. */
  private async changed(): Promise<void> {
    this.onChanged();
    await this.redis.publish(this.keys.processesChanged, '1');
  }
}
