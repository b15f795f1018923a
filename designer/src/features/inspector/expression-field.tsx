import type { JsonValue } from '@crossdock/nodes';
import type { FieldProps } from '@rjsf/utils';
import { useState } from 'react';
import { contextLabel } from './field-labels';
import { JsonInput } from './json-input';
import { RuleBuilder } from './rule-builder';
import { fromLogic, toLogic } from './rule-model';

/**
 * The form field for `x-expression` values: a visual rule builder and a raw json-logic view of the
 * same value. Switching views loses nothing: the builder keeps what it cannot show as raw JSON.
 */
export function ExpressionField(props: FieldProps) {
  const { formData, onChange, fieldPathId, name, schema, rawErrors } = props;
  const value = formData as JsonValue | undefined;
  const tree = value === undefined ? null : fromLogic(value);
  const visual = tree !== null && tree.kind !== 'raw';
  const [view, setView] = useState<'builder' | 'json'>(visual ? 'builder' : 'json');
  const set = (v: JsonValue) => onChange(v, fieldPathId.path);
  const title = schema.title ?? name;
  // Inside a list item the name says which item: "Condition of case 2".
  const label = contextLabel(fieldPathId.path, title);
  return (
    <div className="expression-field form-group">
      <div className="expression-field__header">
        <label className="control-label" htmlFor={fieldPathId.$id}>
          {title}
        </label>
        <div className="segmented" role="tablist" aria-label={`${label} view`}>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'builder'}
            onClick={() => setView('builder')}
          >
            Builder
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'json'}
            onClick={() => setView('json')}
          >
            JSON
          </button>
        </div>
      </div>
      {schema.description && <p className="field-description">{schema.description}</p>}
      {view === 'builder' ? (
        tree && tree.kind !== 'raw' ? (
          <RuleBuilder node={tree} label={label} onChange={(n) => set(toLogic(n))} />
        ) : (
          <div className="expression-field__empty">
            <p className="muted">
              {value === undefined
                ? 'No expression yet.'
                : 'This expression uses operations the builder does not draw; edit it as JSON.'}
            </p>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => set({ '==': [{ var: '' }, ''] })}
            >
              {value === undefined ? '+ Condition' : 'Replace with a new condition'}
            </button>
          </div>
        )
      ) : (
        <JsonInput
          id={fieldPathId.$id}
          label={`${label} (JSON)`}
          value={value}
          onChange={set}
          rows={6}
        />
      )}
      {rawErrors?.map((e) => (
        <span key={e} className="field-error" role="alert">
          {e}
        </span>
      ))}
    </div>
  );
}
