import { useEffect, useMemo, useState } from 'react';
import { Button } from './components/button';
import { Dialog } from './components/dialog';
import { ErrorBoundary } from './components/error-boundary';
import { ConnectionsPage } from './features/connections/connections-page';
import { ExceptionsPage } from './features/exceptions/exceptions-page';
import { EditorPage } from './features/flow-files/editor-page';
import { FlowListPage } from './features/flow-files/flow-list-page';
import { ComparePage } from './features/promotion/compare-page';
import { RunDetailPage } from './features/runs/run-view';
import { RunsPage } from './features/runs/runs-page';
import { ApiError, createApiClient, fetchDesignerConfig } from './lib/api-client';
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
  }
}

const NAV: { label: string; route: Route; match: Route['page'][] }[] = [
  { label: 'Flows', route: { page: 'flows' }, match: ['flows', 'editor', 'compare'] },
  { label: 'Runs', route: { page: 'runs' }, match: ['runs', 'run'] },
  { label: 'Exceptions', route: { page: 'exceptions', runId: null }, match: ['exceptions'] },
  { label: 'Connections', route: { page: 'connections' }, match: ['connections'] },
];

function Shell({ apiKey, onUnauthorized }: { apiKey: string; onUnauthorized: () => void }) {
  const route = useRoute();
  const api = useMemo(() => createApiClient(apiKey), [apiKey]);
  const editor = useMemo(createEditorStore, []);
  const [environment, setEnvironment] = useState<EnvironmentInfo | null>(null);
  useEffect(() => {
    api
      .environment()
      .then(setEnvironment)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) onUnauthorized();
      });
  }, [api, onUnauthorized]);
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

/** Gets an API key (the development config, a stored key, or asks), then shows the app. */
export function App() {
  const [apiKey, setApiKey] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    let cancelled = false;
    void fetchDesignerConfig().then((key) => {
      if (cancelled) return;
      const stored = sessionStorage.getItem(KEY_STORAGE);
      if (key ?? stored) setApiKey(key ?? stored);
      else setAsking(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  const onUnauthorized = useMemo(() => () => setAsking(true), []);
  return (
    <>
      {apiKey && <Shell apiKey={apiKey} onUnauthorized={onUnauthorized} />}
      <Dialog
        title="Sign in to Crossdock"
        open={asking}
        onClose={() => setAsking(false)}
        footer={
          <Button
            variant="primary"
            disabled={typed.trim() === ''}
            onClick={() => {
              sessionStorage.setItem(KEY_STORAGE, typed.trim());
              setApiKey(typed.trim());
              setAsking(false);
            }}
          >
            Continue
          </Button>
        }
      >
        <label className="field">
          <span className="control-label">API key</span>
          <input
            className="form-control"
            type="password"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <p className="muted small">Keys come from CROSSDOCK_API_KEYS on the runtime.</p>
      </Dialog>
    </>
  );
}
