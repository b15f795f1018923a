import { useCallback, useSyncExternalStore } from 'react';

/** A minimal external store: immutable state, subscribers, selector hooks. */
export interface Store<S> {
  get(): S;
  set(update: (state: S) => S): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(update) {
      const next = update(state);
      if (Object.is(next, state)) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Reads a slice of a store; the component re-renders only when the selected value changes
 * (by `Object.is`), so one node's edit does not re-render the whole editor.
 */
export function useStore<S, T>(store: Store<S>, selector: (state: S) => T): T {
  const get = useCallback(() => selector(store.get()), [store, selector]);
  return useSyncExternalStore(store.subscribe, get, get);
}
