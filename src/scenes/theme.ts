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

/**
 * The player's colour option. 'standard' is Okabe–Ito; under protanopia, deuteranopia and
 * tritanopia some of its pairs come close (orange and vermillion for creepy and harm, blue and
 * bluish green for segments and charts). 'colourBlind' swaps the colours that carry meaning for
 * Paul Tol's high-contrast set, whose colours differ in lightness too, so they stay apart for every
 * type of colour blindness (and in greyscale). Shapes, letters and labels carry meaning in both.
 */
export type PaletteName = 'standard' | 'colourBlind';

/** The roles whose colour carries meaning (reactions, chart series); scenery keeps PALETTE. */
const COLOUR_BLIND_ROLES: Partial<Record<PaletteRole, string>> = {
  positive: '#004488',
  warning: '#DDAA33',
  danger: '#BB5566',
};

/** A role's CSS colour under a palette. */
export function roleColour(role: PaletteRole, palette: PaletteName = 'standard'): string {
  return (palette === 'colourBlind' ? COLOUR_BLIND_ROLES[role] : undefined) ?? PALETTE[role];
}

/** The same colours as 0xRRGGBB numbers, for Graphics fills and strokes. */
export function colourNumber(role: PaletteRole, palette: PaletteName = 'standard'): number {
  return Number.parseInt(roleColour(role, palette).slice(1), 16);
}

/** Segment colours in order (segment k takes the k-th, cycling; letters and patterns tell them apart beyond). */
export const SEGMENT_COLOURS: Record<PaletteName, readonly string[]> = {
  standard: [PALETTE.segment, PALETTE.primary, PALETTE.positive, PALETTE.warning, PALETTE.signal, PALETTE.danger, PALETTE.text],
  colourBlind: ['#004488', '#DDAA33', '#66CCEE', '#BB5566', PALETTE.text, '#EE99AA', '#117733'],
};

/** Chart series: each also has a pattern or marker and a label in the chart. */
export function chartColours(palette: PaletteName = 'standard'): { revenue: string; profit: string; trust: string; clicks: string; sales: string; creepy: string; score: string } {
  return {
    revenue: roleColour('positive', palette),
    profit: palette === 'colourBlind' ? '#DDAA33' : PALETTE.primary,
    trust: PALETTE.text,
    clicks: roleColour('positive', palette),
    sales: palette === 'colourBlind' ? '#66CCEE' : PALETTE.primary,
    creepy: roleColour('warning', palette),
    score: palette === 'colourBlind' ? '#004488' : PALETTE.primary,
  };
}

/** System fonts only: nothing is fetched. */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
