import { useStore } from '../../store/create-store';
import type { EditorStore } from '../../store/editor-store';

/** The last message to the analyst (saved, deployed, an error), until dismissed. */
export function EditorNotice({ store }: { store: EditorStore }) {
  const notice = useStore(store, (s) => s.notice);
  if (!notice) return null;
  return (
    <div
      className={`notice notice--${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
    >
      <span>{notice.text}</span>
      <button
        type="button"
        aria-label="Dismiss message"
        onClick={() => store.set((s) => ({ ...s, notice: null }))}
      >
        ✕
      </button>
    </div>
  );
}
