import type {
  ArrayFieldItemTemplateProps,
  ArrayFieldTemplateProps,
  FieldPathId,
  FieldProps,
  TemplatesType,
} from '@rjsf/utils';
import { Button } from '../../components/button';
import { contextLabel, singular } from './field-labels';

/** The list a path points into: ['cases', 1] → "case 2"; the item path's own list key. */
function itemName(path: FieldPathId['path'], index: number): string {
  const key = path[path.length - 2];
  return `${typeof key === 'string' ? singular(key) : 'item'} ${index + 1}`;
}

/**
 * One list item as a card: its name ("Case 2") and its move and remove buttons in the header,
 * each named for the item so that a keyboard or screen-reader user knows which one they act on.
 */
export function ArrayItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, buttonsProps: b, index, hasToolbar } = props;
  const name = itemName(b.fieldPathId.path, index);
  const label = contextLabel(b.fieldPathId.path.slice(0, -2), name);
  return (
    <fieldset className="array-item" aria-label={label}>
      <div className="array-item__header">
        <span className="array-item__name">{name.charAt(0).toUpperCase() + name.slice(1)}</span>
        {hasToolbar && (
          <span className="array-item__tools">
            {(b.hasMoveUp || b.hasMoveDown) && (
              <>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Move ${label} up`}
                  title="Move up"
                  disabled={b.disabled || b.readonly || !b.hasMoveUp}
                  onClick={b.onMoveUpItem}
                >
                  ↑
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Move ${label} down`}
                  title="Move down"
                  disabled={b.disabled || b.readonly || !b.hasMoveDown}
                  onClick={b.onMoveDownItem}
                >
                  ↓
                </Button>
              </>
            )}
            {b.hasRemove && (
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${label}`}
                title="Remove"
                disabled={b.disabled || b.readonly}
                onClick={b.onRemoveItem}
              >
                ✕
              </Button>
            )}
          </span>
        )}
      </div>
      <div className="array-item__body">{children}</div>
    </fieldset>
  );
}

/** A list setting: its title and help, its items as cards, and "+ Add case" below them. */
export function ArrayTemplate(props: ArrayFieldTemplateProps) {
  const { canAdd, fieldPathId, items, onAddClick, schema, title, disabled, readonly } = props;
  const key = fieldPathId.path[fieldPathId.path.length - 1];
  const one = typeof key === 'string' ? singular(key) : 'item';
  const where = contextLabel(fieldPathId.path.slice(0, -1), '');
  return (
    <fieldset className="array-field" id={fieldPathId.$id}>
      <div className="control-label">{title}</div>
      {schema.description && <p className="field-description">{schema.description}</p>}
      <div className="array-field__items">{items}</div>
      {canAdd && (
        <Button
          variant="ghost"
          size="sm"
          className="array-field__add"
          disabled={disabled || readonly}
          onClick={onAddClick}
          aria-label={`Add ${one}${where ? where.replace(/^ of/, ' to') : ''}`}
        >
          + Add {one}
        </Button>
      )}
    </fieldset>
  );
}

export const arrayTemplates: Partial<TemplatesType> = {
  ArrayFieldTemplate: ArrayTemplate,
  ArrayFieldItemTemplate: ArrayItemTemplate,
};

/** A value that is text or a whole number (a CSV column by header name or by position). */
export function TextOrNumberField(props: FieldProps) {
  const { formData, onChange, fieldPathId, name, schema, rawErrors } = props;
  const label = schema.title ?? name;
  const value =
    typeof formData === 'number' || typeof formData === 'string' ? String(formData) : '';
  return (
    <div className="form-group">
      <label className="control-label" htmlFor={fieldPathId.$id}>
        {label}
      </label>
      {schema.description && <p className="field-description">{schema.description}</p>}
      <input
        id={fieldPathId.$id}
        className="form-control"
        aria-label={contextLabel(fieldPathId.path, label)}
        value={value}
        onChange={(e) => {
          const text = e.target.value;
          onChange(
            text === '' ? undefined : /^[1-9][0-9]*$/.test(text) ? Number(text) : text,
            fieldPathId.path,
          );
        }}
      />
      {rawErrors?.map((e) => (
        <span key={e} className="field-error" role="alert">
          {e}
        </span>
      ))}
    </div>
  );
}
