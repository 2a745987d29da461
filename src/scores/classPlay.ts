/**
 * What a class code changes in a game: the pack's first N rounds and the instructor's scoring
 * weights; and which of the packs at hand a code means.
 */
import type { LoadedPack } from '../packs/loadPack';
import type { Scenario, ScoreComponent } from '../sim';
import { decodeClassCode, LISTENER_CHOICES, packRef, SCORE_COMPONENTS, type ClassSettings } from './classCode';

// The simulation caches compiled scenarios by object, so one object per (scenario, settings).
const variants = new WeakMap<Scenario, Map<string, Scenario>>();

/** The scenario a class plays: the first `rounds` rounds, with the class's weights. */
export function scenarioForClass(scenario: Scenario, settings: Pick<ClassSettings, 'rounds' | 'weights'>): Scenario {
  if (settings.rounds >= scenario.rounds.length && !settings.weights) return scenario;
  const key = `${settings.rounds}:${JSON.stringify(settings.weights)}`;
  let byKey = variants.get(scenario);
  if (!byKey) variants.set(scenario, (byKey = new Map()));
  let variant = byKey.get(key);
  if (!variant) {
    variant = {
      ...scenario,
      rounds: scenario.rounds.slice(0, settings.rounds),
      scoring: { ...scenario.scoring, weights: settings.weights ?? scenario.scoring.weights },
    };
    byKey.set(key, variant);
  }
  return variant;
}

/** The scenario a saved game or score file plays: the pack's own, or its class's variant. */
export function scenarioForCode(scenario: Scenario, classCode: string | null): Scenario {
  if (classCode === null) return scenario;
  const decoded = decodeClassCode(classCode);
  if (!decoded.ok) throw new Error(`class code "${classCode}" does not read (${decoded.error})`);
  return scenarioForClass(scenario, decoded.settings);
}

/** The packs a code can mean (normally one; two only if their 16-bit references collide). */
export function packsForClass<P extends LoadedPack>(settings: ClassSettings, packs: P[]): P[] {
  return packs.filter((p) => packRef(p.pack.id, p.pack.version) === settings.packRef);
}

export type ClassProblem =
  | { kind: 'rounds'; max: number }
  | { kind: 'listeners'; max: number }
  | { kind: 'weight'; component: ScoreComponent; min: number; max: number }
  | { kind: 'noWeight' };

/** Why these settings do not fit this pack (empty when they do). */
export function classProblems(settings: ClassSettings, pack: LoadedPack): ClassProblem[] {
  const problems: ClassProblem[] = [];
  const { scenario } = pack;
  if (settings.rounds > scenario.rounds.length) problems.push({ kind: 'rounds', max: scenario.rounds.length });
  if (settings.listeners > scenario.population.maxListeners) problems.push({ kind: 'listeners', max: scenario.population.maxListeners });
  const weights = settings.weights;
  if (weights) {
    for (const k of SCORE_COMPONENTS) {
      const range = scenario.scoring.weightRanges[k];
      // Weights travel in 0.05 steps, so allow for the step's rounding.
      if (range && (weights[k] < range[0] - 1e-9 || weights[k] > range[1] + 1e-9)) problems.push({ kind: 'weight', component: k, min: range[0], max: range[1] });
    }
    if (SCORE_COMPONENTS.every((k) => weights[k] === 0)) problems.push({ kind: 'noWeight' });
  }
  return problems;
}

/** A problem in plain English (for the command line). */
export function classProblemText(p: ClassProblem): string {
  switch (p.kind) {
    case 'rounds':
      return `the pack has only ${p.max} rounds`;
    case 'listeners':
      return `the pack allows at most ${p.max} listeners`;
    case 'weight':
      return `the ${p.component} weight must be between ${p.min} and ${p.max}`;
    case 'noWeight':
      return 'at least one weight must be above 0';
  }
}

/** The listener choice nearest the pack's default, for a new class. */
export function defaultClassListeners(pack: LoadedPack): number {
  const { defaultListeners, maxListeners } = pack.scenario.population;
  const allowed = LISTENER_CHOICES.filter((n) => n <= maxListeners);
  return allowed.reduce((best, n) => (Math.abs(n - defaultListeners) < Math.abs(best - defaultListeners) ? n : best), allowed[0] ?? LISTENER_CHOICES[0]);
}
