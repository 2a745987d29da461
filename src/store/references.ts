/** Reference strategies played on the student's own market, for the final report. */
import { fullPlan } from '../packs/validatePack';
import { playPlan, type PlainDecisions, type Scenario } from '../sim';

export interface ReferenceOutcome {
  id: 'massMarketing' | 'collectEverything';
  score: number;
  profit: number;
  trust: number;
}

/** Untargeted: the data the service needs, every harmless campaign to everyone. */
function massMarketing(scenario: Scenario, listeners: number): Partial<PlainDecisions>[] {
  return scenario.rounds.map((round) => {
    const offered = round.signals ?? scenario.signals.map((s) => s.id);
    const contract = scenario.signals.filter((s) => s.legalBasis === 'contract' && offered.includes(s.id)).map((s) => s.id);
    const campaigns = scenario.campaigns.filter((c) => c.harms.length === 0 && (!round.campaigns || round.campaigns.includes(c.id)));
    const valid = scenario.consentDesigns.find((d) => d.validConsent) ?? scenario.consentDesigns[0]!;
    return {
      signals: contract,
      consent: valid.id,
      segments: [],
      assignments: campaigns.map((c) => ({ campaign: c.id, segment: 'everyone', budget: Math.floor((c.demandPerThousand * listeners) / 1000 / 2), cap: 3 })),
      quiz: round.quizKey,
    };
  });
}

/** Everything on offer, under the most covert consent design. */
function collectEverything(scenario: Scenario, listeners: number): Partial<PlainDecisions>[] {
  const covert = [...scenario.consentDesigns].sort((a, b) => b.covertness - a.covertness)[0]!;
  return fullPlan(scenario, listeners).map((round) => ({ ...round, consent: covert.id }));
}

export function referenceOutcomes(scenario: Scenario, seed: number, listeners: number): ReferenceOutcome[] {
  const plans = [
    ['massMarketing', massMarketing(scenario, listeners)],
    ['collectEverything', collectEverything(scenario, listeners)],
  ] as const;
  return plans.flatMap(([id, plan]) => {
    try {
      const o = playPlan(scenario, seed, listeners, plan);
      return [{ id, score: o.score, profit: o.results.reduce((a, r) => a + r.profit, 0), trust: o.results.at(-1)!.trustIndex }];
    } catch {
      return []; // a pack whose rounds do not allow this strategy
    }
  });
}
