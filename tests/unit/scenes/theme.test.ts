/**
 * The colour-blind-safe palette: colours that appear side by side with different meanings stay
 * apart under simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes
 * 2009, full severity), and segment chips keep AA text.
 */
import { describe, expect, it } from 'vitest';
import { chartColours, roleColour, SEGMENT_COLOURS, type PaletteName } from '../../../src/scenes/theme';
import { contrastRatio, segmentStyle } from '../../../src/scenes/worldLayout';

type Matrix = [number, number, number][];
const DEFICIENCIES: Record<string, Matrix> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);

/** CIELAB of a colour as seen with a deficiency. */
function seenAs(hex: string, m: Matrix): [number, number, number] {
  const rgb = [1, 3, 5].map((i) => linear(Number.parseInt(hex.slice(i, i + 2), 16)));
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0]! + row[1] * rgb[1]! + row[2] * rgb[2]!))) as [number, number, number];
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** The smallest colour difference (ΔE*ab) between any two of the colours, over the three deficiencies. */
function worstDifference(colours: readonly string[]): number {
  let worst = Infinity;
  for (const m of Object.values(DEFICIENCIES))
    for (let i = 0; i < colours.length; i++)
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [seenAs(colours[i]!, m), seenAs(colours[j]!, m)];
        worst = Math.min(worst, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
  return worst;
}

const groups = (p: PaletteName) => {
  const c = chartColours(p);
  return {
    reactions: [roleColour('positive', p), roleColour('warning', p), roleColour('danger', p)],
    firstFourSegments: SEGMENT_COLOURS[p].slice(0, 4),
    roundChart: [c.revenue, c.profit, c.trust],
    adChart: [c.clicks, c.sales, c.creepy],
  };
};

describe('the colour-blind-safe palette', () => {
  it('keeps every group of meaningful colours clearly apart for every colour blindness', () => {
    for (const [name, colours] of Object.entries(groups('colourBlind'))) expect(worstDifference(colours), name).toBeGreaterThan(25);
  });

  it('does better than the standard palette where the standard one comes close', () => {
    const standard = groups('standard');
    const safe = groups('colourBlind');
    expect(worstDifference(safe.reactions)).toBeGreaterThan(worstDifference(standard.reactions) + 10);
    expect(worstDifference(safe.firstFourSegments)).toBeGreaterThan(worstDifference(standard.firstFourSegments) + 10);
  });

  it('segment chips: distinct colours, letters on them meet WCAG AA', () => {
    const styles = Array.from({ length: 7 }, (_, k) => segmentStyle(k, 'colourBlind'));
    expect(new Set(styles.map((s) => s.colour)).size).toBe(7);
    for (const s of styles) expect(contrastRatio(s.colour, s.textColour)).toBeGreaterThanOrEqual(4.5);
    expect(styles.map((s) => s.pattern).slice(0, 4)).toEqual(['solid', 'dashed', 'dotted', 'double']);
  });

  it('leaves the scenery and the standard palette alone', () => {
    expect(roleColour('paper', 'colourBlind')).toBe(roleColour('paper'));
    expect(segmentStyle(0).colour).toBe('#CC79A7');
  });
});
