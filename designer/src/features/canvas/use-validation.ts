import { catalog, type Environment, validateFlow } from '@crossdock/nodes';
import { useEffect } from 'react';
import type { EnvironmentInfo } from '../../lib/api-types';
import { useStore } from '../../store/create-store';
import { type EditorStore, selectDoc } from '../../store/editor-store';

/** Quiet time after the last edit before the validator runs. */
export const VALIDATION_DEBOUNCE_MS = 120;

/** The environment as the validator wants it: connection names bound to their systems. */
export function toEnvironment(info: EnvironmentInfo): Environment {
  return {
    name: info.name,
    connections: Object.fromEntries(
      info.connections.map((c) => [c.name, { system: c.system, baseUrl: c.baseUrl }]),
    ),
  };
}

/** Runs the shared validator on the document as the analyst edits, debounced. */
export function useValidation(store: EditorStore, environment: EnvironmentInfo | null): void {
  const doc = useStore(store, selectDoc);
  useEffect(() => {
    if (!doc) return;
    const handle = setTimeout(() => {
      const started = performance.now();
      const diagnostics = validateFlow(doc, catalog, {
        expectedId: doc.id,
        ...(environment ? { environment: toEnvironment(environment) } : {}),
      });
      const ms = performance.now() - started;
      performance.measure('crossdock:validate', { start: started, duration: ms });
      store.set((s) => (selectDoc(s) === doc ? { ...s, diagnostics, validationMs: ms } : s));
    }, VALIDATION_DEBOUNCE_MS);
    return () => clearTimeout(handle);
  }, [doc, store, environment]);
}
