import type { JsonValue } from '@crossdock/nodes';

export const REDACTED = '[redacted]';

/** Secret values shorter than this are refused outside development (see context/secrets.ts). */
export const MIN_SECRET_LENGTH = 8;

/**
 * Keeps secrets out of traces, logs and job data: fields named in the redaction list are
 * replaced wherever they appear, and every known secret value is replaced inside any string.
 * Secret values are learnt as the runtime resolves them.
 */
export class Redactor {
  private readonly fields: ReadonlySet<string>;
  private readonly secrets = new Set<string>();
  /** Secret values as they appear inside JSON text. */
  private readonly jsonSecrets = new Set<string>();

  /** Finds a redacted field name as a JSON key, so clean documents skip the slow path. */
  private readonly fieldPattern: RegExp;

  constructor(fields: readonly string[]) {
    this.fields = new Set(fields.map((f) => f.toLowerCase()));
    const escaped = [...this.fields].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.fieldPattern = new RegExp(`"(?:${escaped.join('|') || '(?!)'})":`, 'i');
  }

  /**
   * Remembers a secret value, or a value derived from one (an encoded credential, a token), and
   * the forms it takes inside text (JSON-escaped, URL-encoded). Values under 8 characters are
   * ignored: they would blank ordinary words (the secrets store refuses them outside development).
   */
  addSecret(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.jsonSecrets.add(JSON.stringify(value).slice(1, -1));
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
  }

  /** Replaces every known secret value in a text (a log line, a JSON document). */
  scrubText(text: string): string {
    let out = text;
    for (const secret of this.jsonSecrets)
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const secret of this.secrets)
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** JSON text of `value` with redacted fields and secret values replaced. */
  stringify(value: unknown): string {
    const plain = JSON.stringify(value) ?? 'null';
    if (!this.fieldPattern.test(plain)) return this.scrubText(plain);
    const text = JSON.stringify(value, (key, v: unknown) =>
      key !== '' && this.fields.has(key.toLowerCase()) && v !== null && typeof v !== 'object'
        ? REDACTED
        : v,
    );
    return this.scrubText(text ?? 'null');
  }

  /** A redacted copy of `value`. */
  redact(value: JsonValue): JsonValue {
    return JSON.parse(this.stringify(value)) as JsonValue;
  }

  /** Whether a field of this name is redacted wherever it appears. */
  redacts(field: string): boolean {
    return this.fields.has(field.toLowerCase());
  }

  get fieldNames(): readonly string[] {
    return [...this.fields];
  }
}

/** Replaces a payload whose JSON is over `maxBytes` with a marker and a preview. */
export function truncate(value: JsonValue | undefined, maxBytes: number): JsonValue | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text.length <= maxBytes) return value;
  return {
    $truncated: true,
    bytes: Buffer.byteLength(text),
    preview: text.slice(0, Math.min(maxBytes, 512)),
  };
}
