import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { checkApiKey, type KeyCheck } from '../../lib/api-client';
import './sign-in.css';

export interface SignInPageProps {
  /** Why the page shows, e.g. after the runtime refused a stored key. */
  notice?: string | undefined;
  onSignedIn: (key: string) => void;
  /** Injected by tests; the runtime's check by default. */
  check?: (key: string) => Promise<KeyCheck>;
}

function problem(result: Exclude<KeyCheck, { ok: true }>): string {
  switch (result.reason) {
    case 'wrong-key':
      return 'The runtime does not know this key.';
    case 'throttled':
      return `Too many wrong keys from this computer; try again in ${result.retryAfterSeconds} s.`;
    case 'unreachable':
      return 'The runtime did not answer; is it running?';
  }
}

/**
 * Asks for an API key when the runtime has keys configured (it then hands the designer none).
 * The key is checked before it is kept, and kept in this tab's session storage only.
 */
export function SignInPage({ notice, onSignedIn, check = checkApiKey }: SignInPageProps) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed = key.trim();
    if (typed === '' || busy) return;
    setBusy(true);
    setError(null);
    const result = await check(typed);
    setBusy(false);
    if (result.ok) onSignedIn(typed);
    else setError(problem(result));
  }

  return (
    <main className="sign-in">
      <form
        className="sign-in__card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="sign-in-title"
      >
        <div className="sign-in__brand" aria-hidden="true">
          ⇄
        </div>
        <h1 id="sign-in-title" className="sign-in__title">
          Sign in to Crossdock
        </h1>
        <p className="muted">
          This runtime requires an API key. Ask your platform engineer for one (they are set in
          CROSSDOCK_API_KEYS).
        </p>
        {notice && (
          <p className="sign-in__notice" role="status">
            {notice}
          </p>
        )}
        <label className="field">
          <span className="control-label">API key</span>
          <input
            className="form-control"
            type="password"
            autoComplete="current-password"
            // biome-ignore lint/a11y/noAutofocus: the page has no other purpose
            autoFocus
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={key.trim() === '' || busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </Button>
        <p className="muted small">
          The key stays in this browser tab only and is forgotten when you close it or sign out.
        </p>
      </form>
    </main>
  );
}
