import { useState } from 'react';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import type { Run } from '../../lib/api-types';
import { useServices } from '../../store/editor-context';

/** Test case names as the runtime accepts them: lower-case letters, digits and dashes. */
export const TEST_CASE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A name suggested from the run's business keys (`order-0000100045`), else from its id. */
export function suggestTestCaseName(run: Pick<Run, 'id' | 'businessKeys'>): string {
  const [key, value] = Object.entries(run.businessKeys)[0] ?? ['run', run.id.replace(/^run_/, '')];
  const name = `${key}-${value}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return TEST_CASE_NAME.test(name) ? name : 'test-case';
}

/**
 * "Save as test case" on a finished run (development only): keeps the trigger payload, the
 * connector answers and every node's output as `flows/tests/<flow>/<name>.json`, which
 * `crossdock test` and `crossdock promote` replay.
 */
export function SaveTestCaseButton({ run }: { run: Run }) {
  const { api, environment } = useServices();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(() => suggestTestCaseName(run));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const finished = run.status === 'succeeded' || run.status === 'failed';
  if (!finished || (environment && environment.name !== 'dev')) return null;
  const valid = TEST_CASE_NAME.test(name);
  const save = () => {
    setBusy(true);
    setError(null);
    api
      .saveTestCase(run.id, name)
      .then((path) => {
        setSaved(path);
        setOpen(false);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Save as test case</Button>
      {saved && (
        <span className="muted small" role="status">
          Saved as <span className="mono">flows/{saved}</span>
        </span>
      )}
      <Dialog
        title="Save this run as a test case"
        open={open}
        onClose={() => setOpen(false)}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button variant="primary" disabled={!valid || busy} onClick={save}>
              {busy ? 'Saving…' : 'Save test case'}
            </Button>
          </>
        }
      >
        <p>
          The trigger payload, the recorded connector answers and each node's output are kept in{' '}
          <span className="mono">
            flows/tests/{run.flowId}/{name || '…'}.json
          </span>
          . <span className="mono">crossdock test</span> and{' '}
          <span className="mono">crossdock promote</span> replay it and name every difference.
          Secrets are never recorded.
        </p>
        <label className="field">
          <span>Name</span>
          <input
            aria-label="Test case name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!valid}
          />
        </label>
        {!valid && (
          <p className="field__hint">Lower-case letters, digits and dashes (64 at most).</p>
        )}
        {error && (
          <p className="callout callout--danger" role="alert">
            {error}
          </p>
        )}
      </Dialog>
    </>
  );
}
