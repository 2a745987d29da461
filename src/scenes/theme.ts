/**
 * Colours and type for everything Phaser draws (see shared STYLE.md: Okabe–Ito plus neutrals).
 * Kept free of Phaser imports so DOM code and tests can read it too.
 */

/** CSS colour strings, for Text styles and the DOM. */
export const PALETTE = {
  paper: '#F7F5F0',
  panel: '#FFFFFF',
  text: '#1F2328',
  mutedText: '#57606A',
  primary: '#0072B2',
  positive: '#009E73',
  warning: '#E69F00',
  danger: '#D55E00',
  signal: '#56B4E9',
  segment: '#CC79A7',
  highlight: '#F0E442',
} as const;

export type PaletteRole = keyof typeof PALETTE;

/** The same colours as 0xRRGGBB numbers, for Graphics fills and strokes. */
export function colourNumber(role: PaletteRole): number {
  return Number.parseInt(PALETTE[role].slice(1), 16);
}

/** System fonts only: nothing is fetched. */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
