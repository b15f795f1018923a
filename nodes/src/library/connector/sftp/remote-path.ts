import { checkRemotePath } from '../../../sdk/connections/sftp-path';
import { PermanentError } from '../../../sdk/errors';
import { isJsonObject, type JsonValue } from '../../../sdk/json';

/** A path template: absolute, `{{field.path}}` placeholders, no `..` segment. */
export const REMOTE_PATH_PATTERN = '^/(?!.*(^|/)\\.\\.?(/|$))[^\\\\\\u0000-\\u001f]*$';

function lookup(data: JsonValue, path: string): JsonValue | undefined {
  let at: JsonValue | undefined = data;
  for (const key of path.split('.')) {
    if (!isJsonObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/**
 * The remote path for a message: each `{{field}}` becomes the field's value, which may only hold
 * letters, digits, `.`, `_` and `-` (never a `/`), so a message can name a file but never leave
 * the folder the flow chose.
 */
export function renderRemotePath(template: string, data: JsonValue): string {
  const path = template.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_, field: string) => {
    const value = lookup(data, field);
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(text) || /^\.+$/.test(text)) {
      throw new PermanentError(
        'invalid-input',
        `The file name part {{${field}}} is ${JSON.stringify(value ?? null)}: it must be letters, digits, ".", "_" or "-".`,
      );
    }
    return text;
  });
  return checkRemotePath(path);
}
