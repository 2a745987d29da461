/**
 * Where things are in the world view, with no Phaser in sight (unit-tested in Node): the
 * neighbourhood's geometry in design units, where each sampled listener stands (from their true
 * traits), how they look, segment styles (also for the DOM legend), what each listener reacts with
 * after a round, and the timing of the results animation.
 */
import { PALETTE, SEGMENT_COLOURS, type PaletteName, type PaletteRole } from './theme';

/**
 * Window events between the world (Phaser) and the DOM layer. Kept here, free of Phaser, so the
 * DOM can import the names without pulling in the Phaser chunk.
 */
export const WORLD_EVENTS = {
  /** In: jump to the end of the results animation. */
  skip: 'tt:skip-animation',
  /** Out: the results animation started; detail { round, duration } (ms). */
  start: 'tt:animation-start',
  /** Out: the results animation ended, was skipped, or reduced motion showed the end at once; detail { round, skipped }. */
  done: 'tt:animation-done',
} as const;

/* ------------------------------------------------------------------------------------------------
 * Design space and fitting it on the canvas
 * --------------------------------------------------------------------------------------------- */

/** The neighbourhood is drawn in these design units; the camera zooms it to fit its area. */
export const DESIGN = { width: 1000, height: 760 } as const;

/** At or above this canvas width the DOM panel sits beside the world; below it, it is a drawer. */
export const SIDE_PANEL_MIN_WIDTH = 1100;
/** The share of the canvas width the world takes when the panel sits beside it. */
export const WORLD_SHARE = 0.6;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Room left for the game screen's bars (round and KPIs above, headlines below), in CSS pixels. */
export const GAME_BARS = { top: 80, bottom: 40 } as const;

/**
 * The part of the canvas the neighbourhood should fill when the DOM does not mark it (with a
 * `data-world-area` element): beside the panel, the left 60% between the bars.
 */
export function worldArea(canvasWidth: number, canvasHeight: number, besidePanel: boolean): Rect {
  if (!besidePanel) return { x: 0, y: 0, width: canvasWidth, height: canvasHeight };
  const width = canvasWidth >= SIDE_PANEL_MIN_WIDTH ? Math.round(canvasWidth * WORLD_SHARE) : canvasWidth;
  const top = Math.min(GAME_BARS.top, canvasHeight * 0.15);
  const bottom = Math.min(GAME_BARS.bottom, canvasHeight * 0.08);
  return { x: 0, y: top, width, height: canvasHeight - top - bottom };
}

/** Camera zoom and the design point to centre on, so that the design space fits inside `area`. */
export function fitDesign(area: Rect, canvasWidth: number, canvasHeight: number): { zoom: number; centerX: number; centerY: number } {
  const margin = 0.98;
  const zoom = Math.max(0.2, Math.min(area.width / DESIGN.width, area.height / DESIGN.height) * margin);
  const dx = area.x + area.width / 2 - canvasWidth / 2;
  const dy = area.y + area.height / 2 - canvasHeight / 2;
  return { zoom, centerX: DESIGN.width / 2 - dx / zoom, centerY: DESIGN.height / 2 - dy / zoom };
}

/* ------------------------------------------------------------------------------------------------
 * The neighbourhood
 * --------------------------------------------------------------------------------------------- */

export interface Point {
  x: number;
  y: number;
}

export type BuildingKind = 'home' | 'cafe' | 'gym' | 'clinic' | 'worship';

export interface Building {
  kind: BuildingKind;
  x: number;
  width: number;
  /** Height of the walls above the building line. */
  height: number;
  /** Upper-floor windows (top-left corners); night owls look out of homes' windows. */
  windows: Rect[];
}

const BUILDING_LINE = 262;
const WINDOW = { width: 34, height: 36 };

function home(x: number, width: number, height: number): Building {
  const top = BUILDING_LINE - height + 20;
  return {
    kind: 'home',
    x,
    width,
    height,
    windows: [
      { x: x + width * 0.27 - WINDOW.width / 2, y: top, ...WINDOW },
      { x: x + width * 0.73 - WINDOW.width / 2, y: top, ...WINDOW },
    ],
  };
}

export const GEO = {
  buildingLine: BUILDING_LINE,
  /** The pavement in front of the buildings, the street, and the walk along the park. */
  pavement: { top: BUILDING_LINE, bottom: 338 },
  street: { top: 338, bottom: 384 },
  parkWalk: { top: 384, bottom: 430 },
  parkTop: 430,
  /** Feet lines of the two rows on the pavement and of the row along the park. */
  rows: { back: 302, front: 330, walk: 423 },
  buildings: [
    home(14, 122, 150),
    home(146, 122, 172),
    { kind: 'cafe', x: 280, width: 134, height: 126, windows: [] },
    { kind: 'gym', x: 426, width: 156, height: 146, windows: [] },
    { kind: 'clinic', x: 594, width: 132, height: 158, windows: [] },
    { kind: 'worship', x: 738, width: 136, height: 150, windows: [] },
    home(886, 104, 164),
  ] satisfies Building[],
  /** Tunestream's mast: ads leave from the logo at its top. */
  tower: { x: 504, top: 16, logo: { x: 504, y: 40 } },
  busStop: { x: 650, width: 118 },
  track: { cx: 282, cy: 590, rx: 226, ry: 96, lane: 20 },
  /** The dog walk: a quadratic curve through the right of the park. */
  dogPath: { from: { x: 556, y: 770 }, via: { x: 690, y: 470 }, to: { x: 1000, y: 500 } },
  pond: { x: 866, y: 690, rx: 88, ry: 30 },
  trees: [
    { x: 560, y: 488, r: 28 },
    { x: 968, y: 612, r: 30 },
    { x: 676, y: 736, r: 24 },
    { x: 30, y: 472, r: 24 },
    { x: 520, y: 742, r: 22 },
  ],
  benches: [
    { x: 800, y: 584 },
    { x: 912, y: 492 },
  ],
} as const;

export function bezier(t: number, a: Point, b: Point, c: Point): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * b.x + t * t * c.x, y: u * u * a.y + 2 * u * t * b.y + t * t * c.y };
}

/** A point on the running track (its lane's middle); angle 0 is the right end, growing clockwise. */
export function trackPoint(angle: number): Point {
  const { cx, cy, rx, ry } = GEO.track;
  return { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) };
}

export function dogPathPoint(t: number): Point {
  const { from, via, to } = GEO.dogPath;
  return bezier(t, from, via, to);
}

/* ------------------------------------------------------------------------------------------------
 * Where each listener stands
 * --------------------------------------------------------------------------------------------- */

export type ZoneId =
  | 'window'
  | 'homeFront'
  | 'cafe'
  | 'gym'
  | 'clinic'
  | 'worship'
  | 'busStop'
  | 'track'
  | 'lawn'
  | 'dogPath'
  | 'park'
  | 'overflow';

export type Pose = 'stand' | 'bust';

export interface Slot {
  x: number;
  y: number;
  pose: Pose;
  /** Runners: their angle on the track. */
  trackAngle?: number;
  /** Dog walkers: where on the dog path. */
  pathT?: number;
}

export interface Placement extends Slot {
  index: number;
  zone: ZoneId;
  /** Walks a dog. */
  dog: boolean;
}

/** n x positions evenly spread over [x0, x1] (cell centres). */
function spread(x0: number, x1: number, y: number, n: number): Slot[] {
  const step = (x1 - x0) / n;
  return Array.from({ length: n }, (_, k) => ({ x: Math.round(x0 + step * (k + 0.5)), y, pose: 'stand' as const }));
}

/** Interleaves two rows so that a half-filled zone still looks spread out. */
function interleave(...rows: Slot[][]): Slot[] {
  const out: Slot[] = [];
  const longest = Math.max(...rows.map((r) => r.length));
  for (let k = 0; k < longest; k++) for (const row of rows) if (row[k]) out.push(row[k]!);
  return out;
}

function buildingOf(kind: BuildingKind, nth = 0): Building {
  return GEO.buildings.filter((b) => b.kind === kind)[nth]!;
}

function frontOf(b: Building, back: number, front: number): Slot[] {
  return interleave(spread(b.x + 4, b.x + b.width - 4, GEO.rows.back, back), spread(b.x + 14, b.x + b.width - 14, GEO.rows.front, front));
}

const TRACK_CAPACITY = 10;
const DOG_CAPACITY = 6;

/** Fixed slots per zone (runners and dog walkers are spread when placed). */
function zoneSlots(): Record<Exclude<ZoneId, 'track' | 'dogPath'>, Slot[]> {
  const homes = GEO.buildings.filter((b) => b.kind === 'home');
  const windows: Slot[] = homes.flatMap((b) => b.windows.map((w) => ({ x: w.x + w.width / 2, y: w.y + w.height, pose: 'bust' as const })));
  const [homeA, homeB, homeC] = homes;
  const homeFront = interleave(
    spread(homeA!.x, homeB!.x + homeB!.width, GEO.rows.back, 3),
    spread(homeA!.x + 20, homeB!.x + homeB!.width - 20, GEO.rows.front, 2),
    spread(homeC!.x, homeC!.x + homeC!.width, GEO.rows.front, 1),
  );
  const stop = GEO.busStop;
  const busStop = interleave(spread(stop.x - 40, stop.x + stop.width + 40, GEO.rows.walk, 5), spread(stop.x + stop.width + 50, 990, GEO.rows.walk, 3));
  const { cx, cy } = GEO.track;
  const lawn = interleave(spread(cx - 110, cx + 110, cy - 6, 3), spread(cx - 70, cx + 70, cy + 40, 2));
  const park: Slot[] = [
    { x: 802, y: 590, pose: 'stand' },
    { x: 912, y: 498, pose: 'stand' },
    { x: 760, y: 668, pose: 'stand' },
    { x: 848, y: 596, pose: 'stand' },
    { x: 960, y: 740, pose: 'stand' },
    { x: 870, y: 500, pose: 'stand' },
    { x: 712, y: 612, pose: 'stand' },
    { x: 930, y: 652, pose: 'stand' },
  ];
  const overflow = interleave(spread(20, 560, GEO.rows.walk, 8), spread(40, 500, 748, 7));
  return {
    window: windows,
    homeFront,
    cafe: frontOf(buildingOf('cafe'), 2, 2),
    gym: frontOf(buildingOf('gym'), 2, 2),
    clinic: frontOf(buildingOf('clinic'), 2, 1),
    worship: frontOf(buildingOf('worship'), 2, 1),
    busStop,
    lawn,
    park,
    overflow,
  };
}

/** A small, fast integer hash (for stable per-listener variety; not for anything random). */
export function hash32(n: number, salt = 0): number {
  let h = (Math.imul(n | 0, 0x9e3779b1) ^ Math.imul(salt | 0, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** What placement needs to know about a listener (a ListenerTrace fits). */
export interface PlacedListener {
  index: number;
  truth: Readonly<Record<string, string>>;
}

const yes = (truth: Readonly<Record<string, string>>, trait: string) => truth[trait] === 'yes';

/** The zones a listener would be found in, best first (from their true routine and interests). */
export function preferredZones(listener: PlacedListener): ZoneId[] {
  const { truth, index } = listener;
  const h = hash32(index, 7);
  const prefs: ZoneId[] = [];
  // Precise location reveals visits to sensitive places: some of these listeners are seen there.
  if (yes(truth, 'sensitive_places') && h % 3 !== 0) prefs.push(h % 2 === 0 ? 'clinic' : 'worship', h % 2 === 0 ? 'worship' : 'clinic');
  if (yes(truth, 'runner')) prefs.push('track');
  if (yes(truth, 'dog_walker')) prefs.push('dogPath');
  if (yes(truth, 'night_owl')) prefs.push('window');
  if (yes(truth, 'commuter')) prefs.push('busStop');
  if (truth.interest === 'fitness') prefs.push('gym');
  if (truth.interest === 'food') prefs.push('cafe');
  const fallbacks: ZoneId[] = ['park', 'cafe', 'homeFront', 'lawn', 'gym'];
  const turn = (h >>> 4) % fallbacks.length;
  prefs.push(...fallbacks.slice(turn), ...fallbacks.slice(0, turn), 'overflow');
  return [...new Set(prefs)];
}

/**
 * Places listeners in the neighbourhood. Deterministic: the same listeners always stand in the
 * same places (their routine traits do not change between rounds), so figures never jump between
 * phases. Each listener gets their first preferred zone with room left, rank by rank.
 */
export function placeListeners(listeners: readonly PlacedListener[]): Placement[] {
  const slots = zoneSlots();
  const used: Record<ZoneId, number> = {
    window: 0, homeFront: 0, cafe: 0, gym: 0, clinic: 0, worship: 0, busStop: 0, track: 0, lawn: 0, dogPath: 0, park: 0, overflow: 0,
  };
  const capacity = (zone: ZoneId) => (zone === 'track' ? TRACK_CAPACITY : zone === 'dogPath' ? DOG_CAPACITY : zone === 'overflow' ? Infinity : slots[zone].length);
  const prefs = listeners.map(preferredZones);
  const zoneOf = new Array<ZoneId | null>(listeners.length).fill(null);
  const order = new Array<number>(listeners.length).fill(0);
  const maxRank = Math.max(0, ...prefs.map((p) => p.length));
  for (let rank = 0; rank < maxRank; rank++) {
    listeners.forEach((_, k) => {
      if (zoneOf[k] !== null) return;
      const zone = prefs[k]![rank];
      if (zone === undefined || used[zone] >= capacity(zone)) return;
      zoneOf[k] = zone;
      order[k] = used[zone]++;
    });
  }

  const runners = used.track;
  const walkers = used.dogPath;
  return listeners.map((listener, k) => {
    const zone = zoneOf[k] ?? 'overflow';
    const n = order[k]!;
    let slot: Slot;
    if (zone === 'track') {
      const angle = (n / Math.max(1, runners)) * Math.PI * 2 + 0.35;
      slot = { ...trackPoint(angle), pose: 'stand', trackAngle: angle };
    } else if (zone === 'dogPath') {
      const t = walkers <= 1 ? 0.5 : 0.14 + (0.74 * n) / (walkers - 1);
      slot = { ...dogPathPoint(t), pose: 'stand', pathT: t };
    } else {
      const list = slots[zone];
      slot = list[n] ?? overflowSlot(n - list.length);
    }
    return { index: listener.index, zone, dog: zone === 'dogPath', ...slot };
  });
}

/** Past the listed overflow slots (more listeners than the view was made for): rows on the lawn. */
function overflowSlot(n: number): Slot {
  const perRow = 12;
  return { x: 40 + (n % perRow) * 80, y: 470 + Math.floor(n / perRow) * 40, pose: 'stand' };
}

/* ------------------------------------------------------------------------------------------------
 * How each listener looks (varied, and never tied to a segment)
 * --------------------------------------------------------------------------------------------- */

export const SKIN_TONES = [0x8d5524, 0xe0ac69, 0x5c3a21, 0xf1c27d, 0xc68642, 0xffdbac] as const;
const HAIR_COLOURS = [0x1f1a17, 0x4a2f1d, 0x7a4a26, 0xc9a15a, 0x2b2b2b, 0x8b5a3c] as const;
const GREY_HAIR = 0xb9b6b0;
/** Shirts: soft tints of the palette, so that the overlays (signals, segments, reactions) stand out. */
const SHIRT_ROLES: readonly PaletteRole[] = ['primary', 'positive', 'segment', 'warning', 'signal', 'mutedText'];

export type HairStyle = 'short' | 'long' | 'bun' | 'none' | 'curly';
const HAIR_STYLES: readonly HairStyle[] = ['short', 'long', 'bun', 'short', 'curly', 'none', 'long', 'curly'];

export interface Look {
  skin: number;
  shirt: number;
  /** 0.82 for a teenager … 1.0 for a tall adult. */
  height: number;
  hair: HairStyle;
  hairColour: number;
  wheelchair: boolean;
  cane: boolean;
}

const AGE_HEIGHT: Record<string, number> = { '13-17': 0.84, '18-24': 0.98, '25-34': 1, '35-44': 0.97, '45-54': 0.95, '55+': 0.92 };

/** Mixes a palette colour with white: `amount` 0 is the colour, 1 is white. */
export function tint(hex: string, amount: number): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount);
  return (mix((n >> 16) & 255) << 16) | (mix((n >> 8) & 255) << 8) | mix(n & 255);
}

export function lookOf(listener: PlacedListener): Look {
  const h = hash32(listener.index, 11);
  const age = listener.truth.age ?? '';
  const older = age === '55+';
  const wheelchair = h % 9 === 4;
  return {
    skin: SKIN_TONES[h % SKIN_TONES.length]!,
    shirt: tint(PALETTE[SHIRT_ROLES[(h >>> 3) % SHIRT_ROLES.length]!], 0.35),
    height: AGE_HEIGHT[age] ?? 0.96,
    hair: HAIR_STYLES[(h >>> 6) % HAIR_STYLES.length]!,
    hairColour: older && (h >>> 9) % 3 !== 0 ? GREY_HAIR : HAIR_COLOURS[(h >>> 11) % HAIR_COLOURS.length]!,
    wheelchair,
    cane: older && !wheelchair && (h >>> 14) % 3 === 0 && !yes(listener.truth, 'runner'),
  };
}

/* ------------------------------------------------------------------------------------------------
 * Segments: colour AND letter (and a ring pattern), never colour alone
 * --------------------------------------------------------------------------------------------- */

export type RingPattern = 'solid' | 'dashed' | 'dotted' | 'double';

export interface SegmentStyle {
  /** A, B, C… in the order of the round's segments. */
  letter: string;
  /** CSS colour of the segment. */
  colour: string;
  /** Text colour on that colour with the higher contrast (≥ 4.5:1). */
  textColour: string;
  pattern: RingPattern;
}

const PATTERNS: readonly RingPattern[] = ['solid', 'dashed', 'dotted', 'double'];

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** WCAG contrast ratio of two #RRGGBB colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The style of the k-th segment of a round under the player's palette (the DOM legend uses the same). */
export function segmentStyle(k: number, palette: PaletteName = 'standard'): SegmentStyle {
  const colours = SEGMENT_COLOURS[palette];
  const colour = colours[k % colours.length]!;
  // White, else the text colour, else (vermillion, where neither reaches 4.5:1) pure black.
  const candidates = [PALETTE.panel, PALETTE.text, '#000000'];
  const textColour =
    candidates.find((c) => contrastRatio(colour, c) >= 4.5) ?? candidates.reduce((best, c) => (contrastRatio(colour, c) > contrastRatio(colour, best) ? c : best));
  const round = Math.floor(k / 26);
  const letter = String.fromCharCode(65 + (k % 26)) + (round > 0 ? String(round + 1) : '');
  return { letter, colour, textColour, pattern: PATTERNS[k % PATTERNS.length]! };
}

/* ------------------------------------------------------------------------------------------------
 * What a listener shows in each phase
 * --------------------------------------------------------------------------------------------- */

/** The parts of a ListenerTrace the world view reads. */
export interface TraceLike extends PlacedListener {
  premium: boolean;
  inferred: readonly { trait: string; value: string; confidence: number; correct: boolean }[];
  covered: readonly string[];
  segments: readonly string[];
  ads: readonly { campaign: string; impressions: number; creepy: number; clicks: number; conversions: number; harms: readonly string[] }[];
  optedOut: boolean;
  churned: boolean;
}

/** 0 to 3 sky-blue arcs: how much the collected signals cover this listener. */
export function signalArcs(coveredSignals: number): 0 | 1 | 2 | 3 {
  if (coveredSignals <= 0) return 0;
  if (coveredSignals <= 2) return 1;
  if (coveredSignals <= 4) return 2;
  return 3;
}

/** Values that say "nothing to see" (inferring them reveals little). */
const PLAIN_VALUES = new Set(['no', 'none', 'steady']);

/** Below this confidence an inference is a guess, not yet something the company "knows". */
export const CONFIDENT_INFERENCE = 0.5;

/**
 * Whether the company is fairly sure of something sensitive about a listener: an inference of a
 * sensitive trait, with a telling value ("grief", not "steady"), made with some confidence.
 */
export function hasSensitiveInference(trace: Pick<TraceLike, 'inferred'>, sensitiveTraits: ReadonlySet<string>): boolean {
  return trace.inferred.some((i) => sensitiveTraits.has(i.trait) && !PLAIN_VALUES.has(i.value) && i.confidence >= CONFIDENT_INFERENCE);
}

export type Reaction = 'harm' | 'creepy' | 'purchase' | 'click' | 'optedOut';

export interface Outcome {
  /** Campaigns whose ads reached the listener. */
  campaigns: number;
  /** Reactions to the ads, most serious first (one of each kind). */
  reactions: Reaction[];
  /** Opted out of personalization in this round (was not before). */
  optedOutNow: boolean;
  /** Had already opted out before the round. */
  optedOutBefore: boolean;
  /** Left in this round. */
  churnedNow: boolean;
  /** Had already left before the round (shown faded from the start). */
  churnedBefore: boolean;
}

export function outcomeOf(trace: TraceLike, before: { optedOut: boolean; churned: boolean } | null): Outcome {
  const reached = trace.ads.filter((a) => a.impressions > 0);
  const reactions: Reaction[] = [];
  if (reached.some((a) => a.harms.length > 0)) reactions.push('harm');
  if (reached.some((a) => a.creepy > 0)) reactions.push('creepy');
  if (reached.some((a) => a.conversions > 0)) reactions.push('purchase');
  else if (reached.some((a) => a.clicks > 0)) reactions.push('click');
  const optedOutBefore = before?.optedOut ?? false;
  const churnedBefore = before?.churned ?? false;
  return {
    campaigns: reached.length,
    reactions,
    optedOutNow: trace.optedOut && !optedOutBefore,
    optedOutBefore,
    churnedNow: trace.churned && !churnedBefore,
    churnedBefore,
  };
}

/* ------------------------------------------------------------------------------------------------
 * The results animation's timing (about 5 s)
 * --------------------------------------------------------------------------------------------- */

export interface ListenerCue {
  index: number;
  /** When the first ad card leaves the tower (ms), or null without ads. */
  cardAt: number | null;
  /** When the reactions pop (the card has landed). */
  reactAt: number | null;
  optOutAt: number | null;
  churnAt: number | null;
}

export const RESULTS_TIMING = {
  total: 5000,
  firstCard: 350,
  lastCard: 1900,
  flight: 750,
  reactDelay: 120,
  optOutAt: 3300,
  optOutSpread: 500,
  churnAt: 3900,
  churnFor: 900,
} as const;

/**
 * When each listener's part of the results animation happens. Cards leave in order of distance from
 * the tower (nearest first), so they fan out over the neighbourhood; reactions pop when a card
 * lands; opt-outs follow; listeners who leave walk off last.
 */
export function resultsCues(
  listeners: readonly { index: number; x: number; y: number; outcome: Outcome }[],
  timing: typeof RESULTS_TIMING = RESULTS_TIMING,
): ListenerCue[] {
  const { logo } = GEO.tower;
  const receivers = listeners
    .filter((l) => l.outcome.campaigns > 0 && !l.outcome.churnedBefore)
    .map((l) => ({ index: l.index, d: Math.hypot(l.x - logo.x, l.y - logo.y) }))
    .sort((a, b) => a.d - b.d || a.index - b.index);
  const cardAt = new Map<number, number>();
  const span = timing.lastCard - timing.firstCard;
  receivers.forEach((r, k) => cardAt.set(r.index, Math.round(timing.firstCard + (receivers.length <= 1 ? 0 : (span * k) / (receivers.length - 1)))));
  const optOuts = listeners.filter((l) => l.outcome.optedOutNow);
  return listeners.map((l) => {
    const at = cardAt.get(l.index) ?? null;
    const o = optOuts.findIndex((x) => x.index === l.index);
    return {
      index: l.index,
      cardAt: at,
      reactAt: at === null ? null : at + timing.flight + timing.reactDelay,
      optOutAt: o < 0 ? null : Math.round(timing.optOutAt + (optOuts.length <= 1 ? 0 : (timing.optOutSpread * o) / (optOuts.length - 1))),
      churnAt: l.outcome.churnedNow ? timing.churnAt : null,
    };
  });
}
