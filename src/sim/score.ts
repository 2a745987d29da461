/** The round score: pack-weighted components, each 0–1, never profit alone. */
import type { ComplianceFlag, Scenario, ScoreComponent } from './scenario';

export interface ScoreBreakdown {
  /** Each component's mark, 0–1; quiz is absent when the round has no quiz. */
  components: Partial<Record<ScoreComponent, number>>;
  weights: Record<ScoreComponent, number>;
  /** 0–100. */
  total: number;
}

export interface ScoreInputs {
  profit: number;
  listeners: number;
  trustIndex: number;
  flags: ComplianceFlag[];
  harmedShare: number;
  /** Report-card scores of the segments that were targeted. */
  segmentScores: number[];
  quizCorrect: number;
  quizTotal: number;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

export function scoreRound(scenario: Scenario, x: ScoreInputs): ScoreBreakdown {
  const s = scenario.scoring;
  const fullProfit = (s.profitFullPerThousand * x.listeners) / 1000;
  let penalty = s.harmPenaltyPerShare * x.harmedShare;
  for (const f of x.flags) penalty += s.flagPenalty[f];
  const components: Partial<Record<ScoreComponent, number>> = {
    profit: clamp01(x.profit / fullProfit),
    trust: clamp01((x.trustIndex - s.trustZero) / (s.trustFull - s.trustZero)),
    compliance: clamp01(1 - penalty),
    segments:
      x.segmentScores.length > 0 ? x.segmentScores.reduce((a, b) => a + b, 0) / x.segmentScores.length : s.noSegmentsScore,
  };
  if (x.quizTotal > 0) components.quiz = x.quizCorrect / x.quizTotal;
  let weighted = 0;
  let weightSum = 0;
  for (const [k, v] of Object.entries(components) as [ScoreComponent, number][]) {
    weighted += s.weights[k] * v;
    weightSum += s.weights[k];
  }
  return { components, weights: { ...s.weights }, total: weightSum > 0 ? (100 * weighted) / weightSum : 0 };
}

/** The game's score: the mean of the round scores. */
export function finalScore(roundTotals: number[]): number {
  return roundTotals.length > 0 ? roundTotals.reduce((a, b) => a + b, 0) / roundTotals.length : 0;
}

const COMPONENTS: ScoreComponent[] = ['profit', 'trust', 'compliance', 'segments', 'quiz'];

/** The final report's breakdown: the game's score and each component's mean over the rounds that had it. */
export function finalBreakdown(rounds: ScoreBreakdown[]): { total: number; components: Partial<Record<ScoreComponent, number>> } {
  const components: Partial<Record<ScoreComponent, number>> = {};
  for (const k of COMPONENTS) {
    const xs = rounds.map((r) => r.components[k]).filter((x): x is number => x !== undefined);
    if (xs.length) components[k] = xs.reduce((a, b) => a + b, 0) / xs.length;
  }
  return { total: finalScore(rounds.map((r) => r.total)), components };
}
