/**
 * What the outcome charts show, with no Phaser in sight: the chart scene draws these numbers and
 * the DOM tables print the very same ones (the DOM stays the accessible source). Also the charts'
 * scales and where they sit in the world's area. Unit-tested in Node.
 */
import type { RoundResult } from '../sim';
import type { Rect } from './worldLayout';

/** The DOM element (in the results and final panels) that says what the charts show; the canvas points to it. */
export const CHART_NOTE_ID = 'world-charts-note';

export interface RoundPoint {
  /** 1-based. */
  round: number;
  revenue: number;
  profit: number;
  /** 0–100. */
  trust: number;
  /** 0–100. */
  score: number;
}

/** Revenue, profit, trust and score of every round played so far. */
export function roundSeries(results: readonly RoundResult[]): RoundPoint[] {
  return results.map((r, k) => ({ round: k + 1, revenue: r.adRevenue, profit: r.profit, trust: r.trustIndex, score: r.score.total }));
}

export interface AdReactions {
  campaign: string;
  segment: string;
  clicks: number;
  sales: number;
  creepy: number;
}

/** How listeners reacted to each ad of a round (ads nobody saw are left out). */
export function adReactions(result: RoundResult): AdReactions[] {
  return result.assignments
    .filter((a) => a.impressions > 0)
    .map((a) => ({ campaign: a.campaign, segment: a.segment, clicks: a.clicks, sales: a.conversions, creepy: a.creepyExposures }));
}

export interface Scale {
  min: number;
  max: number;
  step: number;
}

/** An axis from zero (or below, for losses) to a round number above the largest value, in 1-2-5 steps. */
export function niceScale(values: readonly number[], ticks = 4): Scale {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const raw = span / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return { min: Math.floor(lo / step) * step, max: Math.max(step, Math.ceil(hi / step) * step), step };
}

export type ChartMode = 'results' | 'final';

/**
 * Where the chart card goes in the world's area: after a round, over the park (the lower part),
 * so the street and its reactions stay in view; in the final report, the whole area.
 */
export function chartCard(area: Rect, mode: ChartMode, fontSize: number): Rect {
  const margin = Math.round(Math.max(8, Math.min(area.width, area.height) * 0.02));
  const height = mode === 'final' ? area.height - 2 * margin : Math.max(fontSize * 16, Math.round(area.height * 0.5));
  const h = Math.min(area.height - 2 * margin, height);
  return { x: area.x + margin, y: area.y + area.height - margin - h, width: area.width - 2 * margin, height: h };
}

/** Two charts in the card: side by side when it is wide enough, else one above the other. */
export function splitCard(card: Rect, fontSize: number): [Rect, Rect] {
  const pad = Math.round(fontSize * 0.9);
  const inner = { x: card.x + pad, y: card.y + pad, width: card.width - 2 * pad, height: card.height - 2 * pad };
  if (inner.width >= fontSize * 34 || inner.height < fontSize * 26) {
    const w = (inner.width - pad * 2) / 2;
    return [
      { x: inner.x, y: inner.y, width: w, height: inner.height },
      { x: inner.x + w + pad * 2, y: inner.y, width: w, height: inner.height },
    ];
  }
  const h = (inner.height - pad * 2) / 2;
  return [
    { x: inner.x, y: inner.y, width: inner.width, height: h },
    { x: inner.x, y: inner.y + h + pad * 2, width: inner.width, height: h },
  ];
}
