import type { FlowDocument, ProcessDocument } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';

export type PromotionStatus = 'pending' | 'published';

export interface Approval {
  by: string;
  /** Fingerprint of the approving key: a second approval must come from another key. */
  keyId: string;
  at: string;
}

/**
 * One promotion into this runtime's environment (or a rollback), kept for the audit trail: of a
 * flow (`flowId`) or of a business process (`processId`), never both.
 */
export interface Promotion {
  id: string;
  kind: 'promotion' | 'rollback';
  flowId?: string;
  processId?: string;
  version: string;
  hash: string;
  status: PromotionStatus;
  /** The environment it came from and the git commit, when the promoter said. */
  from?: string;
  commit?: string;
  requestedBy: string;
  requestedAt: string;
  /** The version that was active before, if any. */
  previousVersion?: string;
  approvalsRequired: number;
  approvals: Approval[];
  publishedAt?: string;
  /** Kept while pending, so the approver publishes exactly what was requested. */
  flow?: FlowDocument;
  process?: ProcessDocument;
}

/** What a promotion request names: a flow version or a business process version. */
export type PromotedDocument =
  | { flowId: string; flow: FlowDocument }
  | { processId: string; process: ProcessDocument };

/**
 * A promotion as first recorded: pending, with the requester's approval as the first one (one
 * shape for flows and processes, so the approval and audit rules read the same record).
 */
export function requestedPromotion(request: {
  id: string;
  document: PromotedDocument;
  version: string;
  hash: string;
  by: { actor: string; keyId: string };
  at: string;
  origin: { from?: string; commit?: string };
  previousVersion: string | undefined;
  approvalsRequired: number;
}): Promotion {
  const { by, at, origin } = request;
  return {
    id: request.id,
    kind: 'promotion',
    ...('flowId' in request.document
      ? { flowId: request.document.flowId }
      : { processId: request.document.processId }),
    version: request.version,
    hash: request.hash,
    status: 'pending',
    ...(origin.from !== undefined ? { from: origin.from } : {}),
    ...(origin.commit !== undefined ? { commit: origin.commit } : {}),
    requestedBy: by.actor,
    requestedAt: at,
    ...(request.previousVersion !== undefined ? { previousVersion: request.previousVersion } : {}),
    approvalsRequired: request.approvalsRequired,
    approvals: [{ by: by.actor, keyId: by.keyId, at }],
    ...('flow' in request.document
      ? { flow: request.document.flow }
      : { process: request.document.process }),
  };
}

/** The record as answered and audited: without the document it carries while pending. */
export function withoutDocument(p: Promotion): Promotion {
  const { flow: _flow, process: _process, ...rest } = p;
  return rest;
}

/** Promotions on Redis: one hash, id -> record. */
export class PromotionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async save(promotion: Promotion): Promise<void> {
    await this.redis.hset(this.keys.promotions, promotion.id, JSON.stringify(promotion));
  }

  async get(id: string): Promise<Promotion | undefined> {
    const raw = await this.redis.hget(this.keys.promotions, id);
    return raw ? (JSON.parse(raw) as Promotion) : undefined;
  }

  /** Newest first, optionally of one flow or one process. */
  async list(flowId?: string, processId?: string): Promise<Promotion[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.promotions)).map(
      (raw) => JSON.parse(raw) as Promotion,
    );
    return all
      .filter((p) => flowId === undefined || p.flowId === flowId)
      .filter((p) => processId === undefined || p.processId === processId)
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.id.localeCompare(a.id));
  }
}
