import type { FlowDocument } from '@crossdock/nodes';
import { useState } from 'react';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { diffFlows, isEmptyDiff } from './flow-diff';
import { bumpVersion } from './flow-io';

export interface SaveDialogProps {
  open: boolean;
  before: FlowDocument | null;
  after: FlowDocument;
  errorCount: number;
  onCancel: () => void;
  onSave: (version: string) => void;
  saving: boolean;
}

function List(props: { title: string; items: string[]; tone: string }) {
  if (props.items.length === 0) return null;
  return (
    <div className="diff-group">
      <h4>{props.title}</h4>
      <ul>
        {props.items.map((i) => (
          <li key={i} className={`diff-item diff-item--${props.tone}`}>
            {i}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Save: a readable diff against the last saved version and the version bump to write. */
export function SaveDialog(props: SaveDialogProps) {
  const { before, after } = props;
  const [bump, setBump] = useState<'keep' | 'patch' | 'minor' | 'major'>('patch');
  const diff = props.open && before ? diffFlows(before, after) : null;
  const version = bump === 'keep' ? after.version : bumpVersion(after.version, bump);
  return (
    <Dialog
      title={`Save ${after.name}`}
      open={props.open}
      onClose={props.onCancel}
      wide
      footer={
        <>
          <Button onClick={props.onCancel}>Cancel</Button>
          <Button variant="primary" disabled={props.saving} onClick={() => props.onSave(version)}>
            {props.saving ? 'Saving…' : `Save version ${version}`}
          </Button>
        </>
      }
    >
      {props.errorCount > 0 && (
        <p className="callout callout--warning">
          The flow has {props.errorCount} error{props.errorCount === 1 ? '' : 's'}. You can save a
          draft, but it cannot be deployed until they are fixed.
        </p>
      )}
      <fieldset className="bump">
        <legend>Version (now {after.version})</legend>
        {(['keep', 'patch', 'minor', 'major'] as const).map((b) => (
          <label key={b} className="bump__option">
            <input
              type="radio"
              name="bump"
              value={b}
              checked={bump === b}
              onChange={() => setBump(b)}
            />
            {b === 'keep'
              ? `Keep ${after.version}`
              : `${b[0]?.toUpperCase()}${b.slice(1)}: ${bumpVersion(after.version, b)}`}
          </label>
        ))}
      </fieldset>
      <section aria-label="Changes since last save" className="save-diff">
        {!diff ? (
          <p className="muted">A new flow file: everything is new.</p>
        ) : isEmptyDiff(diff) ? (
          <p className="muted">No changes since the last save (positions aside).</p>
        ) : (
          <>
            <List title="Nodes added" items={diff.addedNodes.map((n) => n.name)} tone="added" />
            <List
              title="Nodes removed"
              items={diff.removedNodes.map((n) => n.name)}
              tone="removed"
            />
            <List
              title="Nodes changed"
              items={diff.changedNodes.map((n) => `${n.name}: ${n.fields.join(', ')}`)}
              tone="changed"
            />
            <List title="Edges added" items={diff.addedEdges} tone="added" />
            <List title="Edges removed" items={diff.removedEdges} tone="removed" />
            <List
              title="Settings changed"
              items={[...diff.metadata, ...diff.changedSettings]}
              tone="changed"
            />
          </>
        )}
      </section>
    </Dialog>
  );
}
