/** The symbol drawn for each node category on cards, in the palette and in the inspector. */
export const CATEGORY_GLYPH: Readonly<Record<string, string>> = {
  trigger: '▶',
  connector: '⇄',
  mapping: '≡',
  rule: '◇',
  exception: '!',
  flow: '⑂',
};

export function categoryGlyph(category: string): string {
  return CATEGORY_GLYPH[category] ?? '?';
}
