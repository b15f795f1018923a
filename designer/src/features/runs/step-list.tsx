import type { FlowDocument } from '@crossdock/nodes';
import { useState } from 'react';
import { Badge, type Tone } from '../../components/badge';
import { JsonDiffView } from '../../components/json-diff-view';
import { JsonView } from '../../components/json-view';
import { portsOf, type Run, type RunStep, stepOutput } from '../../lib/api-types';

export function statusTone(status: string): Tone {
  if (status === 'succeeded' || status === 'completed') return 'success';
  if (status === 'failed') return 'danger';
  if (status === 'discarded') return 'neutral';
  if (status === 'running' || status === 'queued') return 'running';
  return 'warning';
}

function StepDetail({ step }: { step: RunStep }) {
  const [tab, setTab] = useState<'io' | 'diff'>('io');
  const isMapping = step.nodeType.startsWith('mapping.');
  return (
    <div className="step-detail">
      {step.error && (
        <div className="callout callout--danger" role="alert">
          <strong>{step.error.errorClass}</strong> <span className="mono">{step.error.code}</span>
          <div>{step.error.message}</div>
        </div>
      )}
      {step.notSent && step.notSent.length > 0 && (
        <div className="callout callout--info" role="note" aria-label="Not sent">
          <strong>Not sent</strong> (safe test run): the answer came from the node's pinned sample.
          {step.notSent.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: requests in the order they were made
            <div key={i}>
              <div className="mono">
                {r.method} {r.url}
              </div>
              <JsonView value={r.body} label="Request not sent" />
            </div>
          ))}
        </div>
      )}
      {isMapping && (
        <div className="segmented" role="tablist" aria-label="Step view">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'io'}
            onClick={() => setTab('io')}
          >
            Input / output
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'diff'}
            onClick={() => setTab('diff')}
          >
            Diff
          </button>
        </div>
      )}
      {tab === 'diff' && isMapping ? (
        <JsonDiffView before={step.input} after={stepOutput(step)} label="Mapping diff" />
      ) : (
        <div className="io-columns">
          <div>
            <h5>Input</h5>
            <JsonView value={step.input} label="Step input" />
          </div>
          <div>
            <h5>Output</h5>
            <JsonView value={stepOutput(step)} label="Step output" />
          </div>
        </div>
      )}
    </div>
  );
}

/** Each step attempt of a run, in order; one opens to its input, output, error and diff. */
export function StepList(props: { run: Run; doc: FlowDocument | null; initial?: string | null }) {
  const { run, doc } = props;
  const key = (s: RunStep, i: number) => `${s.nodeId}#${s.attempt}#${i}`;
  const [open, setOpen] = useState<string | null>(props.initial ?? null);
  const name = (id: string) => doc?.nodes.find((n) => n.id === id)?.name ?? id;
  if (run.steps.length === 0) return <p className="muted">No steps recorded yet.</p>;
  return (
    <ol className="step-list" aria-label="Steps">
      {run.steps.map((s, i) => {
        const k = key(s, i);
        const expanded =
          open === k || (open === null && i === run.steps.length - 1 && s.status === 'failed');
        return (
          <li key={k} className={`step step--${s.status}`}>
            <button
              type="button"
              className="step__row"
              aria-expanded={expanded}
              aria-label={`Step ${name(s.nodeId)} attempt ${s.attempt}: ${s.status}`}
              onClick={() => setOpen(expanded ? '' : k)}
            >
              <Badge tone={statusTone(s.status)}>{s.status}</Badge>
              <span className="step__name">{name(s.nodeId)}</span>
              <span className="muted mono">{s.nodeType}</span>
              {s.attempt > 1 && <span className="muted">attempt {s.attempt}</span>}
              {s.notSent && s.notSent.length > 0 && <Badge tone="neutral">not sent</Badge>}
              <span className="step__spacer" />
              {portsOf(s) && <span className="mono">→ {portsOf(s)}</span>}
              <span className="muted">{s.durationMs ?? '–'} ms</span>
            </button>
            {expanded && <StepDetail step={s} />}
          </li>
        );
      })}
    </ol>
  );
}
