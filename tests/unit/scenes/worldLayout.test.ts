/**
 * The world view's pure layout: where listeners stand, how segments are marked, what each listener
 * shows after a round, and the timing of the results animation. Runs on real traces of the
 * default pack (no Phaser here: src/scenes/worldLayout.ts imports none).
 */
import { describe, expect, it } from 'vitest';
import { createState, playRound, type ListenerTrace } from '../../../src/sim';
import { CHURNED, OPTED_OUT } from '../../../src/sim/state';
import { PALETTE } from '../../../src/scenes/theme';
import {
  DESIGN,
  GEO,
  RESULTS_TIMING,
  SIDE_PANEL_MIN_WIDTH,
  contrastRatio,
  fitDesign,
  hasSensitiveInference,
  lookOf,
  outcomeOf,
  placeListeners,
  preferredZones,
  resultsCues,
  segmentStyle,
  signalArcs,
  worldArea,
} from '../../../src/scenes/worldLayout';
import { defaultScenario, examplePlan } from '../support';

const SAMPLE = Array.from({ length: 48 }, (_, i) => i);

function roundTraces(plan: string, seed = 42): { traces: ListenerTrace[]; before: Uint8Array } {
  const scenario = defaultScenario();
  const state = createState(scenario, seed, 10_000);
  const before = Uint8Array.from(state.pop.status);
  const { traces } = playRound(scenario, state, examplePlan(plan).rounds[0]!, { traces: SAMPLE });
  return { traces, before };
}

describe('placing listeners', () => {
  const { traces } = roundTraces('bundled-grey-zone');
  const placements = placeListeners(traces);

  it('places every listener once, inside the neighbourhood, two never on the same spot', () => {
    expect(placements.map((p) => p.index)).toEqual(traces.map((t) => t.index));
    for (const p of placements) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(DESIGN.width);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThanOrEqual(DESIGN.height);
    }
    const spots = new Set(placements.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
    expect(spots.size).toBe(placements.length);
  });

  it('follows routines: runners on the track, dog walkers with a dog, night owls in windows, commuters at the stop', () => {
    const byIndex = new Map(traces.map((t) => [t.index, t]));
    for (const p of placements) {
      const truth = byIndex.get(p.index)!.truth;
      if (p.zone === 'track') expect(truth.runner).toBe('yes');
      if (p.zone === 'dogPath') expect([truth.dog_walker, p.dog]).toEqual(['yes', true]);
      if (p.zone === 'window') expect([truth.night_owl, p.pose]).toEqual(['yes', 'bust']);
      if (p.zone === 'busStop') expect(truth.commuter).toBe('yes');
      if (p.zone === 'clinic' || p.zone === 'worship') expect(truth.sensitive_places).toBe('yes');
    }
    expect(placements.some((p) => p.zone === 'track')).toBe(true);
    expect(placements.some((p) => p.zone === 'window')).toBe(true);
    expect(placements.some((p) => p.zone === 'busStop')).toBe(true);
  });

  it('is stable: the same listeners stand in the same places when moods change between rounds', () => {
    const moved = traces.map((t) => ({ ...t, truth: { ...t.truth, mood: 'grief', financial_stress: 'yes' } }));
    expect(placeListeners(moved)).toEqual(placements);
    expect(placeListeners(traces)).toEqual(placements);
  });

  it('copes with unknown traits (other packs) and with more listeners than the view was made for', () => {
    const strangers = Array.from({ length: 120 }, (_, index) => ({ index, truth: {} }));
    const placed = placeListeners(strangers);
    expect(placed).toHaveLength(120);
    expect(new Set(placed.map((p) => `${p.x},${p.y}`)).size).toBe(120);
    expect(preferredZones({ index: 3, truth: {} }).at(-1)).toBe('overflow');
  });

  it('varies looks by listener, never by segment: the same listener looks the same in every phase', () => {
    const looks = traces.map(lookOf);
    expect(new Set(looks.map((l) => l.skin)).size).toBeGreaterThanOrEqual(4);
    expect(looks.some((l) => l.wheelchair)).toBe(true);
    const t = traces[5]!;
    expect(lookOf({ ...t, truth: { ...t.truth, mood: 'heartbreak' } })).toEqual(lookOf(t));
  });
});

describe('segments are marked by colour and letter and pattern', () => {
  it('letters A, B, C…; text on each colour meets WCAG AA', () => {
    const styles = Array.from({ length: 8 }, (_, k) => segmentStyle(k));
    expect(styles.map((s) => s.letter).join('')).toBe('ABCDEFGH');
    for (const s of styles) expect(contrastRatio(s.colour, s.textColour)).toBeGreaterThanOrEqual(4.5);
    expect(new Set(styles.slice(0, 7).map((s) => s.colour)).size).toBe(7);
    expect(styles[0]!.colour).toBe(PALETTE.segment);
    expect(segmentStyle(27).letter).toBe('B2');
  });

  it('contrast ratio is the WCAG one', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio(PALETTE.text, PALETTE.paper)).toBeGreaterThan(12);
  });
});

describe('what listeners show', () => {
  it('signal arcs grow with the signals covering a listener', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(signalArcs)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });

  it('flags only confident, telling inferences of sensitive traits', () => {
    const sensitive = new Set(['mood']);
    const inferred = (value: string, confidence: number) => ({ inferred: [{ trait: 'mood', value, confidence, correct: true }] });
    expect(hasSensitiveInference(inferred('grief', 0.7), sensitive)).toBe(true);
    expect(hasSensitiveInference(inferred('steady', 0.7), sensitive)).toBe(false);
    expect(hasSensitiveInference(inferred('grief', 0.3), sensitive)).toBe(false);
    expect(hasSensitiveInference(inferred('grief', 0.9), new Set())).toBe(false);
  });

  it('reactions come from the ads, most serious first; opt-outs and departures are told apart from earlier ones', () => {
    const { traces, before } = roundTraces('collect-everything-buried');
    const outcomes = traces.map((t) => outcomeOf(t, { optedOut: (before[t.index]! & OPTED_OUT) !== 0, churned: (before[t.index]! & CHURNED) !== 0 }));
    expect(outcomes.some((o) => o.reactions.includes('harm'))).toBe(true);
    expect(outcomes.some((o) => o.reactions.includes('creepy'))).toBe(true);
    traces.forEach((t, k) => {
      const o = outcomes[k]!;
      if (t.premium) expect(o.campaigns).toBe(0);
      const order = ['harm', 'creepy', 'purchase', 'click'];
      expect([...o.reactions].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(o.reactions);
      expect(o.reactions.includes('purchase') && o.reactions.includes('click')).toBe(false);
    });
    const trace = traces[0]!;
    expect(outcomeOf({ ...trace, churned: true }, { optedOut: false, churned: true })).toMatchObject({ churnedNow: false, churnedBefore: true });
    expect(outcomeOf({ ...trace, churned: true }, { optedOut: false, churned: false })).toMatchObject({ churnedNow: true, churnedBefore: false });
  });
});

describe('the results animation', () => {
  it('fits in about 5 s: cards leave nearest first, reactions pop on landing, leavers go last', () => {
    const { traces, before } = roundTraces('collect-everything-buried');
    const placements = placeListeners(traces);
    const listeners = traces.map((t, k) => ({
      index: t.index,
      x: placements[k]!.x,
      y: placements[k]!.y,
      outcome: outcomeOf(t, { optedOut: (before[t.index]! & OPTED_OUT) !== 0, churned: (before[t.index]! & CHURNED) !== 0 }),
    }));
    // Make sure someone leaves and someone opts out, whatever the draw.
    listeners[1]!.outcome = { ...listeners[1]!.outcome, churnedNow: true };
    listeners[2]!.outcome = { ...listeners[2]!.outcome, optedOutNow: true };
    const cues = resultsCues(listeners);
    const T = RESULTS_TIMING;
    const withCards = cues.filter((c) => c.cardAt !== null);
    expect(withCards.length).toBe(listeners.filter((l) => l.outcome.campaigns > 0).length);
    for (const c of cues) {
      for (const at of [c.cardAt, c.reactAt, c.optOutAt, c.churnAt]) if (at !== null) expect(at).toBeLessThanOrEqual(T.total);
      if (c.reactAt !== null) expect(c.reactAt).toBe(c.cardAt! + T.flight + T.reactDelay);
      if (c.churnAt !== null) expect(c.churnAt + T.churnFor).toBeLessThanOrEqual(T.total);
    }
    expect(cues[1]!.churnAt).toBe(T.churnAt);
    expect(cues[2]!.optOutAt).not.toBeNull();
    const { logo } = GEO.tower;
    const distance = (c: (typeof cues)[number]) => {
      const l = listeners.find((x) => x.index === c.index)!;
      return Math.hypot(l.x - logo.x, l.y - logo.y);
    };
    const byTime = [...withCards].sort((a, b) => a.cardAt! - b.cardAt!);
    for (let k = 1; k < byTime.length; k++) expect(distance(byTime[k]!)).toBeGreaterThanOrEqual(distance(byTime[k - 1]!));
  });

  it('sends no card to a listener who had already left', () => {
    const outcome = { campaigns: 1, reactions: [], optedOutNow: false, optedOutBefore: false, churnedNow: false, churnedBefore: true };
    expect(resultsCues([{ index: 0, x: 10, y: 10, outcome }])[0]!.cardAt).toBeNull();
  });
});

describe('fitting the neighbourhood beside the panel', () => {
  it('takes the left 60% beside the panel between the bars, the whole width on narrow screens', () => {
    expect(worldArea(1366, 720, true)).toEqual({ x: 0, y: 80, width: 820, height: 600 });
    expect(worldArea(1024, 720, true).width).toBe(1024);
    expect(worldArea(1366, 720, false)).toEqual({ x: 0, y: 0, width: 1366, height: 720 });
    expect(SIDE_PANEL_MIN_WIDTH).toBeGreaterThan(1024);
  });

  it('fits the whole design inside the area, centred on it', () => {
    for (const [w, h, area] of [
      [1366, 720, { x: 0, y: 78, width: 820, height: 604 }],
      [1920, 1030, { x: 0, y: 60, width: 1152, height: 900 }],
      [1024, 720, { x: 0, y: 0, width: 1024, height: 720 }],
    ] as const) {
      const fit = fitDesign(area, w, h);
      expect(DESIGN.width * fit.zoom).toBeLessThanOrEqual(area.width);
      expect(DESIGN.height * fit.zoom).toBeLessThanOrEqual(area.height);
      // The design's centre lands on the area's centre (camera centred on fit.center).
      const screenX = w / 2 + (DESIGN.width / 2 - fit.centerX) * fit.zoom;
      const screenY = h / 2 + (DESIGN.height / 2 - fit.centerY) * fit.zoom;
      expect(screenX).toBeCloseTo(area.x + area.width / 2, 6);
      expect(screenY).toBeCloseTo(area.y + area.height / 2, 6);
    }
  });
});
