import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../sdk/json';
import { checkPathTemplate, isWithinBase, resolveUrl } from './url';

const base = new URL('https://erp.example.com/api/v2');

function attempt(template: string, data: JsonValue): URL | { code: string } {
  try {
    return resolveUrl(base, template, data, new URLSearchParams());
  } catch (error) {
    return { code: (error as { code: string }).code };
  }
}

const tricky = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '..',
    '.',
    '../..',
    '//evil.com',
    '@evil.com',
    '%2e%2e',
    '\\..\\',
    'http://evil.com',
    '?x=1#y',
  ),
  fc
    .array(fc.constantFrom('..', '/', '.', '%2F', '%2E', '\\', '@', ':', 'a', '?', '#'), {
      maxLength: 8,
    })
    .map((p) => p.join('')),
);

describe('path templates stay on the base URL', () => {
  it('keeps any message value inside one path segment under the base path', () => {
    fc.assert(
      fc.property(tricky, (value) => {
        const result = attempt('/orders/{{id}}/lines', { id: value });
        if (result instanceof URL) {
          expect(result.origin).toBe(base.origin);
          expect(result.pathname.startsWith('/api/v2/orders/')).toBe(true);
          expect(result.pathname.endsWith('/lines')).toBe(true);
          expect(result.pathname.split('/')).toHaveLength(6);
          expect(result.search).toBe('');
        } else {
          expect(['forbidden-host', 'invalid-input']).toContain(result.code);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never resolves a template outside the base, whatever it says', () => {
    fc.assert(
      fc.property(
        tricky.map((t) => `/${t}`),
        (template) => {
          const result = attempt(template, {});
          if (result instanceof URL) expect(isWithinBase(result, base)).toBe(true);
          else expect(['forbidden-host', 'invalid-input']).toContain(result.code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('tells why a template is refused', () => {
    expect(checkPathTemplate('orders')).toBe('The path must start with "/".');
    expect(checkPathTemplate('/a/../b')).toMatch(/"\." or "\.\."/);
    expect(checkPathTemplate('/a/%2F')).toMatch(/encoded slashes/);
    expect(checkPathTemplate('/orders/{{id}}?expand=lines')).toBeUndefined();
  });

  it('treats a sibling path of the base as outside it', () => {
    expect(isWithinBase(new URL('https://erp.example.com/api/v2x/orders'), base)).toBe(false);
    expect(isWithinBase(new URL('https://erp.example.com/api/v2'), base)).toBe(true);
    expect(isWithinBase(new URL('https://user@erp.example.com/api/v2/x'), base)).toBe(false);
    expect(isWithinBase(new URL('https://erp.example.com:8443/api/v2/x'), base)).toBe(false);
  });
});
