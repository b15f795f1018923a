import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The designer's colours come from its design tokens (`designer/src/styles/tokens.css`): a raw
 * colour anywhere else is a colour the next theme change misses.
 */

const src = fileURLToPath(new URL('../designer/src', import.meta.url));
const TOKENS = path.join(src, 'styles', 'tokens.css');
const RAW_COLOUR = /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(css|tsx?)$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [full] : [];
  });
}

/** `file:line  text` for every raw colour in the CSS and TypeScript of `dir`, tokens aside. */
function rawColours(dir: string, tokens: string): string[] {
  const out: string[] = [];
  for (const file of files(dir)) {
    if (file === tokens) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // A hex colour in TS/TSX is a string; `#/flows` routes and `#id` selectors are not colours.
        const text = file.endsWith('.css')
          ? line
          : (line.match(/['"`][^'"`]*['"`]/g) ?? []).join(' ');
        if ((text.match(RAW_COLOUR) ?? []).some((m) => !/^#\//.test(m))) {
          out.push(`${path.relative(src, file)}:${i + 1}  ${line.trim()}`);
        }
      });
  }
  return out;
}

const declared = (text: string) =>
  new Set([...text.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1] ?? ''));

describe('designer colours', () => {
  it('come from the tokens file only: no raw hex, rgb or hsl anywhere else', () => {
    expect(rawColours(src, TOKENS)).toEqual([]);
  });

  it('finds a raw colour planted outside the tokens (the check itself works)', () => {
    const found = rawColours(src, path.join(src, 'none.css'));
    expect(found.some((f) => f.startsWith(path.join('styles', 'tokens.css')))).toBe(true);
  });

  it('name only tokens that are declared (an undefined one silently falls back)', () => {
    const sources = files(src).map((f) => readFileSync(f, 'utf8'));
    const defined = new Set<string>();
    for (const text of sources) for (const name of declared(text)) defined.add(name);
    // Properties set from TypeScript (the card width, the inspector's dragged width).
    for (const text of sources) {
      for (const m of text.matchAll(/['"`](--[\w-]+)['"`]/g)) if (m[1]) defined.add(m[1]);
    }
    const used = new Set<string>();
    for (const text of sources) {
      for (const m of text.matchAll(/var\((--[\w-]+)\s*\)/g)) if (m[1]) used.add(m[1]);
    }
    expect([...used].filter((name) => !defined.has(name)).sort()).toEqual([]);
  });
});
