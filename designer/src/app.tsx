import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from './components/button';
import { ErrorBoundary } from './components/error-boundary';
import { ConnectionsPage } from './features/connections/connections-page';
import { ControlTowerPage } from './features/control-tower/control-tower-page';
import { EditorPage } from './features/editor/editor-page';
import { ExceptionsPage } from './features/exceptions/exceptions-page';
import { FlowListPage } from './features/flow-files/flow-list-page';
import { ComparePage } from './features/promotion/compare-page';
import { ReconciliationsPage } from './features/reconciliations/reconciliations-page';
import { RunDetailPage } from './features/runs/run-view';
import { RunsPage } from './features/runs/runs-page';
import { ShadowsPage } from './features/shadows/shadows-page';
import { SignInPage } from './features/sign-in/sign-in-page';
import { createApiClient, fetchDesignerConfig } from './lib/api-client';
import type { EnvironmentInfo } from './lib/api-types';
import { type Route, routeHref, useRoute } from './lib/router';
import { ServicesProvider } from './store/editor-context';
import { createEditorStore } from './store/editor-store';

const KEY_STORAGE = 'crossdock.apiKey';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'flows':
      return <FlowListPage />;
    case 'editor':
      return <EditorPage flowId={route.flowId} />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunDetailPage runId={route.runId} />;
    case 'exceptions':
      return <ExceptionsPage runId={route.runId} />;
    case 'connections':
      return <ConnectionsPage />;
    case 'compare':
      return <ComparePage flowId={route.flowId} from={route.from} to={route.to} />;
    case 'tower':
      return <ControlTowerPage processId={route.processId} objectKey={route.key} />;
    case 'shadows':
      return <ShadowsPage flowId={route.flowId} shadowId={route.shadowId} />;
    case 'reconcile':
      return <ReconciliationsPage streamId={route.streamId} />;
  }
}

const NAV: { label: string; route: Route; match: Route['page'][] }[] = [
  { label: 'Flows', route: { page: 'flows' }, match: ['flows', 'editor', 'compare'] },
  { label: 'Runs', route: { page: 'runs' }, match: ['runs', 'run'] },
  { label: 'Exceptions', route: { page: 'exceptions', runId: null }, match: ['exceptions'] },
  {
    label: 'Control tower',
    route: { page: 'tower', processId: null, key: null },
    match: ['tower'],
  },
  {
    label: 'Shadows',
    route: { page: 'shadows', flowId: null, shadowId: null },
    match: ['shadows'],
  },
  {
    label: 'Reconciliation',
    route: { page: 'reconcile', streamId: null },
    match: ['reconcile'],
  },
  { label: 'Connections', route: { page: 'connections' }, match: ['connections'] },
];

interface ShellProps {
  apiKey: string;
  onUnauthorized: () => void;
  /** Absent for the development key, which is not the user's to drop. */
  onSignOut?: (() => void) | undefined;
}

function Shell({ apiKey, onUnauthorized, onSignOut }: ShellProps) {
  const route = useRoute();
  const api = useMemo(
    () => createApiClient(apiKey, undefined, { onUnauthorized }),
    [apiKey, onUnauthorized],
  );
  const editor = useMemo(createEditorStore, []);
  const [environment, setEnvironment] = useState<EnvironmentInfo | null>(null);
  useEffect(() => {
    api
      .environment()
      .then(setEnvironment)
      .catch(() => {
        // A 401 already went to onUnauthorized; other failures show on the pages that need it.
      });
  }, [api]);
  const services = useMemo(() => ({ api, editor, environment }), [api, editor, environment]);
  return (
    <ServicesProvider value={services}>
      <div className="app">
        <header className="topbar">
          <a className="brand" href="#/flows" aria-label="Crossdock home">
            <span className="brand__mark" aria-hidden="true">
              ⇄
            </span>
            Crossdock
          </a>
          <nav className="topnav" aria-label="Main">
            {NAV.map((n) => (
              <a
                key={n.label}
                href={routeHref(n.route)}
                className="topnav__link"
                aria-current={n.match.includes(route.page) ? 'page' : undefined}
              >
                {n.label}
              </a>
            ))}
          </nav>
          <span className="topbar__spacer" />
          {environment && (
            <span className="env-pill" title={`${environment.connections.length} connections`}>
              <span className="dot dot--success" aria-hidden="true" />
              {environment.name}
            </span>
          )}
          {onSignOut && (
            <Button variant="ghost" size="sm" onClick={onSignOut}>
              Sign out
            </Button>
          )}
        </header>
        <main className="main">
          <ErrorBoundary resetKey={window.location.hash}>
            <Page route={route} />
          </ErrorBoundary>
        </main>
      </div>
    </ServicesProvider>
  );
}

type Session =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; key: string; source: 'development' | 'session' };

/**
 * Gets an API key: the development key a local no-key runtime hands out, else the key signed in
 * with in this tab (sessionStorage), else the sign-in page.
 */
export function App() {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    void fetchDesignerConfig().then((key) => {
      if (cancelled) return;
      const stored = sessionStorage.getItem(KEY_STORAGE);
      if (key) setSession({ status: 'signed-in', key, source: 'development' });
      else if (stored) setSession({ status: 'signed-in', key: stored, source: 'session' });
      else setSession({ status: 'signed-out' });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  const signOut = useCallback((notice?: string) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setSession(notice ? { status: 'signed-out', notice } : { status: 'signed-out' });
  }, []);
  const onUnauthorized = useCallback(
    () => signOut('The runtime no longer accepts your key; sign in again.'),
    [signOut],
  );
  const onSignOut = useCallback(() => signOut(), [signOut]);
  switch (session.status) {
    case 'loading':
      return null;
    case 'signed-out':
      return (
        <SignInPage
          notice={session.notice}
          onSignedIn={(key) => {
            sessionStorage.setItem(KEY_STORAGE, key);
            setSession({ status: 'signed-in', key, source: 'session' });
          }}
        />
      );
    case 'signed-in':
      return (
        <Shell
          key={session.key}
          apiKey={session.key}
          onUnauthorized={onUnauthorized}
          onSignOut={session.source === 'session' ? onSignOut : undefined}
        />
      );
  }
}
