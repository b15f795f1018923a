import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useContext } from 'react';
import { CanvasActions } from './add-after';
import type { CanvasNode, NodeTrace, PortView } from './canvas-types';
import { categoryGlyph } from './category-glyph';

function portTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

function TraceFooter({ trace }: { trace: NodeTrace }) {
  return (
    <div className={`node-card__trace trace--${trace.status}`} role="status">
      <span className="trace__status">{trace.status}</span>
      {trace.attempts > 1 && <span title="Attempts">×{trace.attempts}</span>}
      {trace.durationMs !== null && <span>{trace.durationMs} ms</span>}
      {trace.ports.length > 0 && <span className="trace__port">→ {trace.ports.join(', ')}</span>}
    </div>
  );
}

function Ports(props: {
  ports: PortView[];
  kind: 'target' | 'source';
  nodeId: string;
  nodeName: string;
}) {
  const { ports, kind, nodeId, nodeName } = props;
  const actions = useContext(CanvasActions);
  const side = kind === 'target' ? Position.Left : Position.Right;
  const showLabels = kind === 'source' && ports.length > 2;
  return (
    <>
      {ports.map((p, i) => (
        <Handle
          key={p.id}
          id={p.id}
          type={kind}
          position={side}
          style={{ top: portTop(i, ports.length) }}
          className={`port port--${kind}${p.id === 'error' ? ' port--error' : ''}`}
          aria-label={`${kind === 'target' ? 'Input' : 'Output'} port ${p.label} of ${nodeName}`}
          title={p.label}
        >
          {showLabels && <span className="port__label">{p.label}</span>}
        </Handle>
      ))}
      {kind === 'source' &&
        actions &&
        ports.map((p, i) => (
          <button
            key={`add-${p.id}`}
            type="button"
            className={`port-add nodrag nopan${p.id === 'error' ? ' port-add--error' : ''}`}
            style={{ top: portTop(i, ports.length) }}
            aria-label={`Add a node after ${p.label} of ${nodeName}`}
            title={`Add a node after ${p.label}`}
            onClick={(e) => {
              e.stopPropagation();
              actions.addAfter(nodeId, p.id);
            }}
          >
            +
          </button>
        ))}
    </>
  );
}

/** A node card: type, name, key config, validation state and, after a run, its trace. */
function FlowNodeCardImpl({ id, data, selected }: NodeProps<CanvasNode>) {
  const severity = data.problemSeverity;
  // Room for every port: 20 px apart, so that each stays a target of its own when zoomed out.
  const ports = Math.max(data.inputs.length, data.outputs.length);
  return (
    <div
      style={ports > 3 ? { minHeight: (ports + 1) * 20 } : undefined}
      className={[
        'node-card',
        `node-card--${data.category}`,
        selected ? 'node-card--selected' : '',
        severity ? `node-card--${severity}` : '',
        data.trace ? `node-card--trace-${data.trace.status}` : '',
      ].join(' ')}
      data-testid={`node-${data.name}`}
    >
      <Ports ports={data.inputs} kind="target" nodeId={id} nodeName={data.name} />
      <div className="node-card__header">
        <span className={`node-card__glyph glyph--${data.category}`} aria-hidden="true">
          {categoryGlyph(data.category)}
        </span>
        <div className="node-card__titles">
          <span className="node-card__type">{data.title}</span>
          <span className="node-card__name">{data.name}</span>
        </div>
        {severity && (
          <span
            className={`node-card__problem problem--${severity}`}
            title={data.problems.join('\n')}
            role="img"
            aria-label={`${data.problems.length} problem${data.problems.length === 1 ? '' : 's'}`}
          >
            {data.problems.length}
          </span>
        )}
      </div>
      {data.summary.length > 0 && (
        <ul className="node-card__summary">
          {data.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {data.trace && <TraceFooter trace={data.trace} />}
      <Ports ports={data.outputs} kind="source" nodeId={id} nodeName={data.name} />
    </div>
  );
}

/** Memoised so a change to one node re-renders that card only. */
export const FlowNodeCard = memo(FlowNodeCardImpl);
