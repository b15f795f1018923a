import { useSyncExternalStore } from 'react';

/** The screens of the app, addressed by the URL hash so reloads and links keep the place. */
export type Route =
  | { page: 'flows' }
  | { page: 'editor'; flowId: string | null }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'exceptions'; runId: string | null }
  | { page: 'compare'; flowId: string; from: string; to: string }
  | { page: 'tower'; processId: string | null; key: string | null }
  | { page: 'shadows'; flowId: string | null; shadowId: string | null }
  | { page: 'reconcile'; streamId: string | null }
  | { page: 'connections' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'flows':
      return parts[1] ? { page: 'editor', flowId: parts[1] } : { page: 'flows' };
    case 'new':
      return { page: 'editor', flowId: null };
    case 'runs':
      return parts[1] ? { page: 'run', runId: parts[1] } : { page: 'runs' };
    case 'exceptions':
      return { page: 'exceptions', runId: parts[1] ?? null };
    case 'connections':
      return { page: 'connections' };
    case 'compare':
      return parts[1] && parts[2] && parts[3]
        ? { page: 'compare', flowId: parts[1], from: parts[2], to: parts[3] }
        : { page: 'flows' };
    case 'tower':
      return { page: 'tower', processId: parts[1] || null, key: parts[2] || null };
    case 'shadows':
      return { page: 'shadows', flowId: parts[1] || null, shadowId: parts[2] || null };
    case 'reconciliations':
      return { page: 'reconcile', streamId: parts[1] || null };
    default:
      return { page: 'flows' };
  }
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'flows':
      return '#/flows';
    case 'editor':
      return route.flowId ? `#/flows/${encodeURIComponent(route.flowId)}` : '#/new';
    case 'runs':
      return '#/runs';
    case 'run':
      return `#/runs/${encodeURIComponent(route.runId)}`;
    case 'exceptions':
      return route.runId ? `#/exceptions/${encodeURIComponent(route.runId)}` : '#/exceptions';
    case 'connections':
      return '#/connections';
    case 'compare':
      return `#/compare/${[route.flowId, route.from, route.to].map(encodeURIComponent).join('/')}`;
    case 'tower':
      return `#/tower${[route.processId, route.key]
        .filter((p): p is string => p !== null)
        .map((p) => `/${encodeURIComponent(p)}`)
        .join('')}`;
    case 'shadows':
      return `#/shadows${[route.flowId, route.shadowId]
        .filter((p): p is string => p !== null)
        .map((p) => `/${encodeURIComponent(p)}`)
        .join('')}`;
    case 'reconcile':
      return route.streamId
        ? `#/reconciliations/${encodeURIComponent(route.streamId)}`
        : '#/reconciliations';
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
