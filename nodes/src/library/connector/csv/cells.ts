/** Shared by the CSV nodes: column field names that can never reach a prototype. */
export const FORBIDDEN_FIELDS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** A plain field name (no dots), never a prototype key. */
export const FIELD_NAME_PATTERN =
  '^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_$][A-Za-z0-9_$-]*$';

/** A dotted path of plain field names, none of them a prototype key. */
export const FIELD_PATH_PATTERN =
  '^(?!(?:.*\\.)?(?:__proto__|constructor|prototype)(?:\\.|$))[A-Za-z_$][A-Za-z0-9_$ -]*(?:\\.[A-Za-z_$][A-Za-z0-9_$ -]*)*$';

export const delimiterSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 1,
  pattern: '^[^\\r\\n"]$',
  default: ',',
  description: 'One character: "," (default), ";", "|" or a tab.',
};
