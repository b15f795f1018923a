/**
 * A node card's size before React Flow has measured it: the card's CSS width (set through
 * `--card-width` on the canvas), auto-layout, windowing, framing and placing a new node all
 * read this one value.
 */
export const CARD_SIZE = { width: 240, height: 96 } as const;

/** Where the pointer holds a card dropped from the palette: its middle, on the title. */
export const CARD_GRIP = { x: CARD_SIZE.width / 2, y: 40 } as const;
