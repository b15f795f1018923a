import type { JsonValue } from '@crossdock/nodes';
import type { FieldProps } from '@rjsf/utils';
import { contextLabel } from './field-labels';
import { JsonInput } from './json-input';

/** Free-form objects (lookup tables, headers, query expressions) edited as JSON. */
export function JsonField(props: FieldProps) {
  const { formData, onChange, fieldPathId, name, schema } = props;
  const title = schema.title ?? name;
  const label = contextLabel(fieldPathId.path, title);
  return (
    <div className="form-group">
      <label className="control-label" htmlFor={fieldPathId.$id}>
        {title}
      </label>
      {schema.description && <p className="field-description">{schema.description}</p>}
      <JsonInput
        id={fieldPathId.$id}
        label={label}
        rows={2}
        value={formData as JsonValue | undefined}
        onChange={(v) => onChange(v, fieldPathId.path)}
      />
    </div>
  );
}
