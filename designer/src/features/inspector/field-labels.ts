/**
 * Labels an analyst reads for config keys that carry no `title` in their schema: words from the
 * camelCase key, units spelled out (`timeoutMs` → "Timeout (ms)"), and a few keys whose plain
 * reading says too little.
 */
const NAMED: Record<string, string> = {
  eol: 'Line ending',
  ackControlNumbers: 'Control numbers of the 997',
  onRejected: 'When sets are rejected',
  onTimeout: 'When the time runs out',
  keepSource: 'Start from the source message',
  maxItems: 'Most items',
  maxRows: 'Most rows',
  outputSchema: 'Result must be',
  usage: 'Usage indicator',
  flowId: 'Flow to start',
  each: 'Each item of',
};

export function fieldLabel(key: string): string {
  const named = NAMED[key];
  if (named) return named;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  if (words.length === 0) return key;
  if (words.length > 1 && words[words.length - 1] === 'ms') words.splice(-1, 1, '(ms)');
  const text = words.map((w) => (w === 'id' ? 'ID' : w === 'url' ? 'URL' : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SINGULAR: Record<string, string> = { statuses: 'status', cases: 'case', fields: 'field' };

/** "cases" → "case": what one item of a list is called, for buttons and item headers. */
export function singular(key: string): string {
  const lower = fieldLabel(key).toLowerCase();
  return SINGULAR[key] ?? (lower.endsWith('s') ? lower.slice(0, -1) : lower);
}

/**
 * A field's accessible name with the list items it sits in, so that the condition of the second
 * case reads "Condition of case 2" and not just "Condition".
 */
export function contextLabel(path: readonly (string | number)[], title: string): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const prev = path[i - 1];
    if (typeof seg === 'number' && typeof prev === 'string')
      parts.push(`${singular(prev)} ${seg + 1}`);
  }
  return parts.length === 0 ? title : `${title} of ${parts.reverse().join(' of ')}`;
}
