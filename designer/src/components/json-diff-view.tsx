import { diffJson } from './json-diff';

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** A table of leaf changes between two JSON values. */
export function JsonDiffView(props: { before: unknown; after: unknown; label: string }) {
  const changes = diffJson(props.before, props.after);
  if (changes.length === 0) return <p className="muted">No differences.</p>;
  return (
    <table className="diff-table" aria-label={props.label}>
      <thead>
        <tr>
          <th>Field</th>
          <th>Input</th>
          <th>Output</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} className={`diff-row diff-row--${c.kind}`}>
            <td className="mono">{c.path}</td>
            <td className="mono diff-before">{show(c.before)}</td>
            <td className="mono diff-after">{show(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
