import { describe, expect, it } from 'vitest';
import { compileScenario, MAX_RELEVANCE_TERMS, MISSING, patternsOf, relevanceTable, type CampaignTables } from '../../../src/sim/compiled';
import type { RelevanceTerm } from '../../../src/sim';
import { scenarioWith } from '../support';

/** Relevance as the model states it: base plus the add of every matching term, in order, clamped to [0, 1]. */
function termByTerm(base: number, terms: RelevanceTerm[], valueOf: (trait: string) => string | null): number {
  let r = base;
  for (const t of terms) {
    const v = valueOf(t.trait);
    if (v !== null && t.in.includes(v)) r += t.add;
  }
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/** Relevance of campaign `camp` for listener i, through the term-pattern tables the report cards use. */
function relevanceOf(t: CampaignTables, camp: number, values: Uint8Array[], i: number): number {
  const pattern = new Uint16Array(1);
  patternsOf(t, camp, Int32Array.of(i), values, pattern);
  return relevanceTable(t, camp)[pattern[0]!]!;
}

describe('relevance tabled by term pattern', () => {
  const terms = [
    { trait: 'mood', in: ['heartbreak', 'grief'], add: 0.35 },
    { trait: 'age', in: ['18-24'], add: 0.1 },
    { trait: 'mood', in: ['grief'], add: -0.2 },
    { trait: 'interest', in: ['food', 'tech'], add: 0.7 },
  ];
  const sc = scenarioWith((s) => {
    s.campaigns[0]!.relevance = { base: 0.05, terms };
  });
  const c = compileScenario(sc);
  const traits = sc.population.traits;

  it('equals the term-by-term sum for every combination of values, missing ones included', () => {
    const used = ['mood', 'age', 'interest'].map((id) => traits.findIndex((t) => t.id === id));
    const values = traits.map(() => new Uint8Array(1));
    const options = used.map((t) => [...traits[t]!.values.map((_, v) => v), MISSING]);
    for (const m of options[0]!)
      for (const a of options[1]!)
        for (const x of options[2]!) {
          [m, a, x].forEach((v, k) => (values[used[k]!]![0] = v));
          const valueOf = (id: string) => {
            const t = traits.findIndex((tr) => tr.id === id);
            const v = values[t]![0]!;
            return v === MISSING ? null : traits[t]!.values[v]!.id;
          };
          expect(relevanceOf(c.campaigns, 0, values, 0)).toBe(termByTerm(0.05, terms, valueOf));
        }
  });

  it(`rejects a campaign with more than ${MAX_RELEVANCE_TERMS} terms, naming it`, () => {
    const many = scenarioWith((s) => {
      s.campaigns[1]!.relevance.terms = Array.from({ length: MAX_RELEVANCE_TERMS + 1 }, () => ({ trait: 'age', in: ['18-24'], add: 0.01 }));
    });
    expect(() => compileScenario(many)).toThrow(`campaign "${many.campaigns[1]!.id}" has ${MAX_RELEVANCE_TERMS + 1} relevance terms`);
  });
});
