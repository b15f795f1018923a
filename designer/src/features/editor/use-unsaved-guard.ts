import { useEffect } from 'react';

/**
 * While `dirty`, leaving asks first: closing the tab (the browser's own prompt) and moving to
 * another page of the app (a hash change, cancelled by putting the old hash back).
 */
export function useUnsavedGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const here = window.location.hash;
    const onHash = (e: HashChangeEvent) => {
      if (window.location.hash === here) return;
      if (!window.confirm('This flow has unsaved changes. Leave without saving?')) {
        e.stopImmediatePropagation();
        window.history.replaceState(null, '', new URL(e.oldURL).hash || here);
      }
    };
    window.addEventListener('beforeunload', onUnload);
    // Capture phase, so the router does not see a change the analyst cancels.
    window.addEventListener('hashchange', onHash, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      window.removeEventListener('hashchange', onHash, true);
    };
  }, [dirty]);
}
