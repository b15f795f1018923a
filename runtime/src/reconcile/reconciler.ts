import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compareRecords,
  hasErrors,
  type JsonValue,
  loadReconciliation,
  type NodeExecutor,
  type ReconciliationDocument,
  type ReconciliationSide,
  recordKey,
  serializeError,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { ContextDeps } from '../context/node-context';
import type { Logger } from '../infra/logger';
import type { RunService } from '../service/run-service';
import { ServiceError } from '../service/service-error';
import { towerKeys } from '../tower/tower-store';
import { readSide } from './read-side';
import type { ReconcileStore } from './reconcile-store';
import type {
  Decision,
  DecisionAction,
  DifferenceRow,
  Drift,
  ReconciliationRun,
  TrendPoint,
} from './reconcile-types';

/** A run keeps at most this many differences; the counts stay whole. */
const MAX_DIFFERENCES = 5_000;

export interface ReconcilerDeps {
  store: ReconcileStore;
  redis: Redis;
  prefix: string;
  context: ContextDeps;
  executors: Readonly<Record<string, NodeExecutor>>;
  service: RunService;
  log: Logger;
  now(): number;
  /** Per read request. */
  readTimeoutMs: number;
}

/** Reads `<flows dir>/reconciliations/*.json`; an invalid file is logged and left out. */
export function readReconciliationFiles(flowsDir: string, log: Logger): ReconciliationDocument[] {
  const dir = path.join(flowsDir, 'reconciliations');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'));
  } catch {
    return [];
  }
  const out: ReconciliationDocument[] = [];
  for (const name of names.sort()) {
    const loaded = loadReconciliation(readFileSync(path.join(dir, name), 'utf8'), {
      expectedId: path.basename(name, '.json'),
    });
    if (loaded.reconciliation && !hasErrors(loaded.diagnostics)) out.push(loaded.reconciliation);
    else
      log.warn({ file: name, diagnostics: loaded.diagnostics }, 'reconciliation file not loaded');
  }
  return out;
}

function other(side: ReconciliationSide): ReconciliationSide {
  return side === 'left' ? 'right' : 'left';
}

/**
 * System reconciliation and master-data drift: reads both sides of a stream, compares them per
 * business key, keeps each run, and records stewards' decisions (a correction pushed by a
 * flow, or the drift accepted) in an audit.
 */
export class Reconciler {
  private docs = new Map<string, ReconciliationDocument>();

  constructor(private readonly deps: ReconcilerDeps) {}

  get store(): ReconcileStore {
    return this.deps.store;
  }

  set(docs: readonly ReconciliationDocument[]): void {
    this.docs = new Map(docs.map((d) => [d.id, d]));
  }

  list(): ReconciliationDocument[] {
    return [...this.docs.values()];
  }

  get(id: string): ReconciliationDocument | undefined {
    return this.docs.get(id);
  }

  private need(id: string): ReconciliationDocument {
    const doc = this.docs.get(id);
    if (!doc) {
      const known = [...this.docs.keys()].join(', ');
      throw new ServiceError(
        'not-found',
        `No reconciliation "${id}"; there are: ${known || 'none'}.`,
      );
    }
    return doc;
  }

  /** Reads both sides, compares and keeps the run. One run of a stream at a time. */
  async run(
    id: string,
    trigger: ReconciliationRun['trigger'],
    actor?: string,
  ): Promise<ReconciliationRun> {
    const doc = this.need(id);
    const runId = `rec_${randomUUID()}`;
    const lockMs = this.deps.readTimeoutMs * 10;
    if (!(await this.deps.store.lock(id, runId, lockMs))) {
      throw new ServiceError(
        'reconciliation-running',
        `Reconciliation "${id}" is running already.`,
      );
    }
    const startedAt = new Date(this.deps.now()).toISOString();
    const base = {
      id: runId,
      reconciliation: id,
      trigger,
      ...(actor !== undefined ? { actor } : {}),
      startedAt,
    };
    let run: ReconciliationRun;
    try {
      const read = (side: ReconciliationSide) =>
        readSide({
          read: doc[side],
          deps: this.deps.context,
          executors: this.deps.executors,
          runId,
          timeoutMs: this.deps.readTimeoutMs,
        });
      const [left, right] = await Promise.all([read('left'), read('right')]);
      const comparison = compareRecords(doc, left, right);
      const rows = await this.rows(
        doc,
        comparison.differences.slice(0, MAX_DIFFERENCES),
        left,
        right,
      );
      run = {
        ...base,
        finishedAt: new Date(this.deps.now()).toISOString(),
        status: 'succeeded',
        read: { left: left.length, right: right.length },
        counts: comparison.counts,
        differences: rows,
        truncated: comparison.differences.length > MAX_DIFFERENCES,
        duplicates: comparison.duplicates.slice(0, 100),
        unkeyed: comparison.unkeyed,
      };
    } catch (error) {
      const e = serializeError(error);
      run = {
        ...base,
        finishedAt: new Date(this.deps.now()).toISOString(),
        status: 'failed',
        error: `${e.code}: ${e.message}`,
        read: { left: 0, right: 0 },
        counts: { keys: 0, equal: 0, different: 0, missingLeft: 0, missingRight: 0 },
        differences: [],
        truncated: false,
        duplicates: [],
        unkeyed: { left: 0, right: 0 },
      };
      this.deps.log.warn(
        { reconciliation: id, run: runId, error: run.error },
        'reconciliation failed',
      );
    } finally {
      await this.deps.store.unlock(id, runId);
    }
    await this.deps.store.saveRun(run);
    return run;
  }

  /** Differences with their tower link and, for master data, the drift named. */
  private async rows(
    doc: ReconciliationDocument,
    differences: ReconciliationRun['differences'],
    left: readonly JsonValue[],
    right: readonly JsonValue[],
  ): Promise<DifferenceRow[]> {
    const rows: DifferenceRow[] = differences.map((d) => ({ ...d }));
    const pid = doc.tower?.process;
    if (pid !== undefined && rows.length > 0) {
      const k = towerKeys(this.deps.prefix);
      const m = this.deps.redis.multi();
      for (const row of rows) m.exists(k.object(pid, row.key));
      const found = (await m.exec()) ?? [];
      rows.forEach((row, i) => {
        if (Number(found[i]?.[1] ?? 0) > 0)
          row.tower = `/api/processes/${encodeURIComponent(pid)}/objects/${encodeURIComponent(row.key)}`;
      });
    }
    const sor = doc.kind === 'master-data' ? doc.systemOfRecord : undefined;
    if (sor === undefined) return rows;
    const byKey = (records: readonly JsonValue[], side: ReconciliationSide) =>
      new Map(records.map((r) => [recordKey(r, doc[side].key), r]));
    const l = byKey(left, 'left');
    const r = byKey(right, 'right');
    const drifted = other(sor);
    for (const row of rows) {
      row.records = { left: l.get(row.key) ?? null, right: r.get(row.key) ?? null };
      if (row.status !== 'different') continue;
      const drift: Drift = {
        systemOfRecord: { side: sor, system: doc[sor].system },
        drifted: { side: drifted, system: doc[drifted].system },
        fields: row.fields.map((f) => ({
          field: f.field,
          systemOfRecord: f[sor],
          drifted: f[drifted],
        })),
      };
      row.drift = drift;
    }
    return rows;
  }

  async latest(id: string): Promise<ReconciliationRun | undefined> {
    this.need(id);
    return (await this.deps.store.runs(id, 1))[0];
  }

  /** Stewardship decisions, newest first. */
  async audit(id: string, limit: number): Promise<Decision[]> {
    this.need(id);
    return this.deps.store.audit(id, limit);
  }

  /** Counts of the newest runs, oldest first (what a chart draws). */
  async trend(id: string, limit: number): Promise<TrendPoint[]> {
    this.need(id);
    const runs = await this.deps.store.runs(id, limit);
    return runs.reverse().map((r) => ({
      run: r.id,
      at: r.startedAt,
      status: r.status,
      equal: r.counts.equal,
      different: r.counts.different,
      missingLeft: r.counts.missingLeft,
      missingRight: r.counts.missingRight,
    }));
  }

  /**
   * A steward's decision on a difference of the latest run. Approve starts the stream's
   * correction flow, keyed by the decision so a repeated approval pushes nothing twice; accept
   * leaves the drifted system as it is. Both are audited with before and after.
   */
  async decide(
    id: string,
    key: string,
    action: DecisionAction,
    actor: string,
    comment: string,
  ): Promise<Decision> {
    const doc = this.need(id);
    const latest = await this.latest(id);
    const row = latest?.differences.find((d) => d.key === key);
    if (!latest || !row) {
      throw new ServiceError(
        'not-found',
        `Key "${key}" has no difference in the latest run of "${id}"; run it again to see current differences.`,
      );
    }
    const drift = row.drift;
    if (!drift) {
      throw new ServiceError(
        'not-correctable',
        doc.kind === 'master-data'
          ? `Key "${key}" is ${row.status} rather than different: there is no value to correct; create or remove the record in its system.`
          : `"${id}" is a transactional stream: its differences are worked in the systems and the control tower, not corrected from here.`,
      );
    }
    if (action === 'approve' && !doc.correction) {
      throw new ServiceError(
        'not-correctable',
        `"${id}" names no correction flow; accept the drift or add "correction": {"flow": ...}.`,
      );
    }
    const decisionId = `${id}:${latest.id}:${key}`;
    const beforeValues = Object.fromEntries(drift.fields.map((f) => [f.field, f.drifted]));
    const sorValues = Object.fromEntries(drift.fields.map((f) => [f.field, f.systemOfRecord]));
    let correctionRun: string | undefined;
    if (action === 'approve' && doc.correction) {
      const drifted = doc[drift.drifted.side];
      const started = await this.deps.service
        .start({
          flowId: doc.correction.flow,
          payload: {
            decisionId,
            reconciliation: id,
            key,
            systemOfRecord: {
              system: drift.systemOfRecord.system,
              record: row.records?.[drift.systemOfRecord.side] ?? null,
            },
            drifted: {
              system: drift.drifted.system,
              connection: drifted.connection ?? null,
              record: row.records?.[drift.drifted.side] ?? null,
            },
            fields: drift.fields.map((f) => ({ ...f })),
          },
          correlationId: decisionId,
        })
        .catch((error: unknown) => {
          if (serializeError(error).code === 'not-found') {
            throw new ServiceError(
              'not-correctable',
              `The correction flow "${doc.correction?.flow}" is not deployed here.`,
            );
          }
          throw error;
        });
      correctionRun = started.runId;
    }
    const decision: Decision = {
      id: decisionId,
      reconciliation: id,
      key,
      run: latest.id,
      action,
      actor,
      at: new Date(this.deps.now()).toISOString(),
      comment,
      before: { system: drift.drifted.system, values: beforeValues },
      after: {
        system: drift.drifted.system,
        values: action === 'approve' ? sorValues : beforeValues,
      },
      ...(correctionRun !== undefined ? { correctionRun } : {}),
    };
    await this.deps.store.decide(decision);
    return decision;
  }
}
