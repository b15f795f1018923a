import { PermanentError } from '../../../sdk/errors';
import { readPath } from '../../../sdk/expressions/operations';
import type { JsonValue } from '../../../sdk/json';

/**
 * A path template may not hold anything that could leave the connection's base path: protocol
 * or network-path references (`//`), dot segments, back slashes, user info (`@`) or encoded
 * slashes and dots. JSON Schema pattern for the designer; `checkPathTemplate` says which.
 */
export const PATH_TEMPLATE_PATTERN =
  '^(?!.*(?://|\\\\|@|%2[fFeE]|%5[cC]|/\\.\\.?(?:/|$|\\?)))/[^\\s#]*$';

const TEMPLATE_FIELD = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Why a path template is refused, or undefined when it is fine. */
export function checkPathTemplate(path: string): string | undefined {
  if (!path.startsWith('/')) return 'The path must start with "/".';
  if (path.startsWith('//')) return 'The path may not start with "//".';
  if (/^\/?[a-z][a-z0-9+.-]*:/i.test(path)) return 'The path may not be an absolute URL.';
  if (path.includes('\\')) return 'The path may not contain back slashes.';
  if (path.includes('@')) return 'The path may not contain "@".';
  if (/%2f|%5c|%2e/i.test(path)) return 'The path may not contain encoded slashes or dots.';
  const bare = path.replace(TEMPLATE_FIELD, 'x').split('?')[0] ?? '';
  if (bare.includes('//')) return 'The path may not contain "//".';
  if (bare.split('/').some((s) => s === '.' || s === '..'))
    return 'The path may not contain "." or ".." segments.';
  if (/\s|#/.test(bare)) return 'The path may not contain white space or "#".';
  return undefined;
}

/** Encodes a template value so that it stays one path segment; "." and ".." are refused. */
function encodeSegment(field: string, value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === '.' || text === '..') {
    throw new PermanentError(
      'forbidden-host',
      `The value of "${field}" is a dot segment, which would move the request off its path.`,
      { details: { field } },
    );
  }
  return encodeURIComponent(text);
}

/** Fills `{{field}}` placeholders with URL-encoded values read from the message. */
export function fillPathTemplate(path: string, data: JsonValue): string {
  return path.replace(TEMPLATE_FIELD, (_match, field: string) => {
    const value = readPath(data, field, null);
    if (value === null || value === '') {
      throw new PermanentError(
        'invalid-input',
        `The message has no value for "${field}", which the path "${path}" needs.`,
        { details: { field, path } },
      );
    }
    return encodeSegment(field, value);
  });
}

function withTrailingSlash(pathname: string): string {
  return pathname.endsWith('/') ? pathname : `${pathname}/`;
}

/**
 * True when `url` stays on the base URL's origin and under its path. Checked on the URL as the
 * WHATWG parser normalises it, so encodings the template check missed are caught here too.
 */
export function isWithinBase(url: URL, base: URL): boolean {
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return false;
  const basePath = withTrailingSlash(base.pathname);
  return basePath === '/' || withTrailingSlash(url.pathname).startsWith(basePath);
}

/** Parses the connection's base URL; a broken one is a permanent configuration error. */
export function parseBaseUrl(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new PermanentError(
      'invalid-config',
      `The connection's base URL "${baseUrl}" is not a URL.`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new PermanentError('invalid-config', `The connection's base URL must be http or https.`);
  }
  return base;
}

/**
 * Fills the path template from the message, resolves it against the base URL and refuses
 * anything that would leave it (`forbidden-host`).
 */
export function resolveUrl(
  base: URL,
  template: string,
  data: JsonValue,
  query: URLSearchParams,
): URL {
  const problem = checkPathTemplate(template);
  if (problem) {
    throw new PermanentError(
      'forbidden-host',
      `${problem} Requests stay on the connection's host.`,
      {
        details: { path: template },
      },
    );
  }
  const filledPath = fillPathTemplate(template, data);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.origin}${prefix}${filledPath}`);
  for (const [key, value] of query) url.searchParams.append(key, value);
  if (!isWithinBase(url, base)) {
    throw new PermanentError(
      'forbidden-host',
      `The request to "${url.href}" would leave the connection's base URL "${base.href}".`,
      { details: { url: url.href } },
    );
  }
  return url;
}
