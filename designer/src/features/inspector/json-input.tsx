import type { JsonValue } from '@crossdock/nodes';
import { useEffect, useState } from 'react';

export interface JsonInputProps {
  id?: string;
  label: string;
  value: JsonValue | undefined;
  onChange: (value: JsonValue) => void;
  /** Called when the text is emptied; without it an empty field keeps the last value. */
  onClear?: () => void;
  rows?: number;
  compact?: boolean;
}

const show = (v: JsonValue | undefined, compact: boolean) =>
  v === undefined ? '' : JSON.stringify(v, null, compact ? undefined : 2);

/**
 * A JSON text field that commits only parseable JSON; while the text does not parse, the last good
 * value stays in the document and the field says what is wrong.
 */
export function JsonInput({
  id,
  label,
  value,
  onChange,
  onClear,
  rows = 4,
  compact = false,
}: JsonInputProps) {
  const [text, setText] = useState(() => show(value, compact));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // The analyst is mid-edit; an outside change (undo) still wins below.
      }
      return show(value, compact);
    });
    setError(null);
  }, [value, compact]);
  const commit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setError(null);
      if (value !== undefined) onClear?.();
      return;
    }
    try {
      const parsed = JSON.parse(next) as JsonValue;
      setError(null);
      if (JSON.stringify(parsed) !== JSON.stringify(value)) onChange(parsed);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not valid JSON.');
    }
  };
  const common = {
    id,
    'aria-label': label,
    'aria-invalid': error !== null,
    className: `json-input mono${error ? ' json-input--invalid' : ''}`,
    value: text,
    spellCheck: false,
  };
  return (
    <div className="json-input__wrap">
      {compact ? (
        <input {...common} onChange={(e) => commit(e.target.value)} />
      ) : (
        <textarea {...common} rows={rows} onChange={(e) => commit(e.target.value)} />
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
