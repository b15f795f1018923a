import { isJsonObject } from '@crossdock/nodes';
import { UsageError } from '../files';
import { apiErrorMessage, runtimeClient } from '../runtime-client';

export interface ReconcileOptions {
  url?: string;
  key?: string;
  json?: boolean;
  comment?: string;
  /** For tests: where the output goes (default: stdout). */
  write?: (text: string) => void;
}

export type ReconcileAction = 'list' | 'run' | 'show' | 'decide';

type Obj = Record<string, unknown>;

const PAST: Record<string, string> = { approve: 'approved', accept: 'accepted' };

function obj(value: unknown): Obj {
  return isJsonObject(value) ? value : {};
}

function arr(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function countsLine(counts: unknown): string {
  const c = obj(counts);
  return `${c.keys ?? 0} keys: ${c.equal ?? 0} equal, ${c.different ?? 0} different, ${c.missingLeft ?? 0} missing left, ${c.missingRight ?? 0} missing right`;
}

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One line per difference: the key, what differs and, for a drift, who is right. */
function differenceLines(run: Obj): string[] {
  return arr(run.differences).map((d) => {
    const decision = obj(d.decision).action;
    const mark = typeof decision === 'string' ? `  [${PAST[decision] ?? decision}]` : '';
    if (d.status !== 'different') return `  ${d.key}  ${d.status}${mark}`;
    const drift = obj(d.drift);
    if (Object.keys(drift).length > 0) {
      const sor = obj(drift.systemOfRecord).system;
      const copy = obj(drift.drifted).system;
      const fields = arr(drift.fields)
        .map((f) => `${f.field}: ${sor} ${value(f.systemOfRecord)}, ${copy} ${value(f.drifted)}`)
        .join('; ');
      return `  ${d.key}  drift  ${fields}${mark}`;
    }
    const fields = arr(d.fields)
      .map((f) => `${f.field}: ${value(f.left)} / ${value(f.right)}`)
      .join('; ');
    return `  ${d.key}  different  ${fields}${d.tower ? `  (${d.tower})` : ''}${mark}`;
  });
}

/**
 * `crossdock reconcile list|run|show|decide`: reconciliation streams of a runtime, through its
 * API (`--url`/`--key` or CROSSDOCK_URL/CROSSDOCK_API_KEY).
 */
export async function reconcileCommand(
  action: ReconcileAction,
  args: string[],
  options: ReconcileOptions,
): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const url = options.url ?? process.env.CROSSDOCK_URL;
  const key = options.key ?? process.env.CROSSDOCK_API_KEY;
  if (!url || !key) {
    throw new UsageError(
      'reconcile talks to a runtime: pass --url and --key (or set CROSSDOCK_URL and CROSSDOCK_API_KEY).',
    );
  }
  const client = runtimeClient(url, key);
  const [id, diffKey, decision] = args;
  if (action !== 'list' && !id) throw new UsageError(`reconcile ${action} needs a stream id.`);
  const stream = encodeURIComponent(id ?? '');
  let answer: Awaited<ReturnType<typeof client.request>>;
  switch (action) {
    case 'list':
      answer = await client.request('GET', '/reconciliations');
      break;
    case 'run':
      answer = await client.request('POST', `/reconciliations/${stream}/run`);
      break;
    case 'show':
      answer = await client.request('GET', `/reconciliations/${stream}`);
      break;
    case 'decide':
      if (!diffKey || (decision !== 'approve' && decision !== 'accept'))
        throw new UsageError('Usage: crossdock reconcile decide <id> <key> approve|accept');
      answer = await client.request(
        'POST',
        `/reconciliations/${stream}/differences/${encodeURIComponent(diffKey)}/decision`,
        { action: decision, ...(options.comment ? { comment: options.comment } : {}) },
      );
      break;
  }
  if (answer.status >= 400) {
    process.stderr.write(`crossdock reconcile ${action}: ${apiErrorMessage(answer)}\n`);
    return 1;
  }
  if (options.json) {
    write(`${JSON.stringify(answer.body, null, 2)}\n`);
    return 0;
  }
  const body = obj(answer.body);
  if (action === 'list') {
    for (const r of arr(body.reconciliations)) {
      const latest = obj(r.latest);
      const systems = obj(r.systems);
      write(
        `${r.id}  ${r.kind}  ${systems.left} vs ${systems.right}  owner ${r.owner}  ${
          Object.keys(latest).length > 0
            ? `${latest.status} ${latest.at}: ${countsLine(latest.counts)}`
            : 'not run yet'
        }\n`,
      );
    }
  } else if (action === 'run' || action === 'show') {
    const run = action === 'run' ? body : obj(body.latest);
    if (Object.keys(run).length === 0) write(`${id}: not run yet\n`);
    else {
      write(`${id}  run ${run.id}  ${run.status}  ${run.startedAt}\n`);
      if (run.error) write(`  error: ${run.error}\n`);
      write(`  ${countsLine(run.counts)}\n`);
      for (const line of differenceLines(run)) write(`${line}\n`);
    }
    if (action === 'show') {
      const trend = arr(body.trend).map((t) => `${t.different}/${t.missingLeft}/${t.missingRight}`);
      if (trend.length > 0)
        write(`  trend (different/missing left/missing right): ${trend.join(' ')}\n`);
    }
  } else {
    const before = obj(body.before);
    const after = obj(body.after);
    write(
      `${PAST[String(body.action)] ?? body.action} ${diffKey} by ${body.actor}: ${before.system} ${value(before.values)} -> ${value(after.values)}${
        body.correctionRun ? ` (correction run ${body.correctionRun})` : ''
      }\n`,
    );
  }
  return 0;
}
