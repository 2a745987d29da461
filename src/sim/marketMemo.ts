/**
 * What every game on one market shares, whatever its players decide: each round's moods (drift
 * reads only the traits before it and the round's key) and each campaign's term patterns on the
 * true traits. Verifying a class's score files replays one market once per student; a memo kept
 * with the market lets every replay reuse what the first one worked out.
 *
 * A memo belongs to one market (one scenario, seed and listener count). Entries are found by the
 * identity of the trait arrays they were made from: a state's trait arrays never change once made
 * (drift gives a trait a new array), so an entry can only be found by the very values it describes.
 */
import { patternsOf, type CompiledScenario } from './compiled';

interface Patterns {
  /** The arrays of the campaign's relevance traits the patterns were made from. */
  values: Uint8Array[];
  patterns: Uint16Array;
}

export class MarketMemo {
  private readonly drifted = new WeakMap<Uint8Array, { key: number; after: Uint8Array }>();
  private readonly patterns = new Map<number, Patterns[]>();
  private scenario: CompiledScenario | null = null;

  /** The array trait values `before` drifted into under the round's key, if a game on this market drew it already. */
  driftedFrom(before: Uint8Array, key: number): Uint8Array | undefined {
    const known = this.drifted.get(before);
    return known?.key === key ? known.after : undefined;
  }

  /** Keeps a finished drift (call it only once `after` is filled). */
  rememberDrift(before: Uint8Array, key: number, after: Uint8Array): void {
    this.drifted.set(before, { key, after });
  }

  /** Campaign `camp`'s term patterns of every listener (patterns[i] for listener i) on the true values `traits`. */
  truePatterns(c: CompiledScenario, camp: number, traits: Uint8Array[], count: number): Uint16Array {
    // Patterns are kept by campaign index: another scenario's campaigns would find the wrong ones.
    if ((this.scenario ??= c) !== c) throw new Error('A market memo was used with another scenario.');
    const t = c.campaigns;
    const values = Array.from({ length: t.relTraitStart[camp + 1]! - t.relTraitStart[camp]! }, (_, k) => traits[t.relTrait[t.relTraitStart[camp]! + k]!]!);
    let list = this.patterns.get(camp);
    if (!list) this.patterns.set(camp, (list = []));
    const known = list.find((p) => p.values.every((v, k) => v === values[k]));
    if (known) return known.patterns;
    const patterns = new Uint16Array(count);
    patternsOf(t, camp, everyone(count), traits, patterns);
    list.push({ values, patterns });
    return patterns;
  }
}

function everyone(n: number): Int32Array {
  const list = new Int32Array(n);
  for (let i = 0; i < n; i++) list[i] = i;
  return list;
}
