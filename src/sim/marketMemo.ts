/**
 * What every game on one market shares, whatever its players decide: each round's moods (drift
 * reads only the traits before it and the round's key), each campaign's term patterns on the
 * true traits, and which listeners' true values meet each condition a segment rule names.
 * Verifying a class's score files replays one market once per student; a memo kept with the
 * market lets every replay reuse what the first one worked out.
 *
 * A memo belongs to one market (scenario, seed and listener count; playRound checks). Its entries
 * are found by the identity of the trait arrays they were made from: a state's trait arrays never
 * change once made (drift gives a trait a new array), so an entry is only found for the values it
 * was made from.
 */
import { listenersMeeting, patternsOf, type CompiledScenario } from './compiled';
import type { Scenario } from './scenario';

interface Patterns {
  /** The arrays of the campaign's relevance traits the patterns were made from. */
  values: Uint8Array[];
  patterns: Uint16Array;
}

export class MarketMemo {
  private readonly drifted = new WeakMap<Uint8Array, { key: number; after: Uint8Array }>();
  private readonly patterns = new Map<number, Patterns[]>();
  private readonly meeting = new WeakMap<Uint8Array, Map<number, Uint32Array>>();
  private bytes = 0;

  /**
   * `maxBytes` bounds what the memo keeps (a pack may have many rounds, drifting traits and
   * campaigns); past it, what is not kept is worked out again by each game.
   */
  constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    readonly listeners: number,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The array trait values `before` drifted into under the round's key, if a game on this market drew it already. */
  driftedFrom(before: Uint8Array, key: number): Uint8Array | undefined {
    const known = this.drifted.get(before);
    return known?.key === key ? known.after : undefined;
  }

  /** Keeps a finished drift (call it only once `after` is filled). */
  rememberDrift(before: Uint8Array, key: number, after: Uint8Array): void {
    if (!this.room(after.byteLength)) return;
    this.drifted.set(before, { key, after });
  }

  /** Campaign `camp`'s term patterns of every listener (patterns[i] for listener i) on the true values `traits`. */
  truePatterns(c: CompiledScenario, camp: number, traits: Uint8Array[]): Uint16Array {
    const t = c.campaigns;
    const from = t.relTraitStart[camp]!;
    const to = t.relTraitStart[camp + 1]!;
    let list = this.patterns.get(camp);
    if (!list) this.patterns.set(camp, (list = []));
    // Looked up every round of every game: no arrays are made for it.
    for (const p of list) {
      let same = true;
      for (let x = from; x < to && same; x++) same = p.values[x - from] === traits[t.relTrait[x]!];
      if (same) return p.patterns;
    }
    const values: Uint8Array[] = [];
    for (let x = from; x < to; x++) values.push(traits[t.relTrait[x]!]!);
    const patterns = new Uint16Array(this.listeners);
    patternsOf(t, camp, everyone(this.listeners), traits, patterns);
    if (this.room(patterns.byteLength)) list.push({ values, patterns });
    return patterns;
  }

  /** The listeners whose value in `values` (a trait's true values) meets a condition: bit v of `mask` for value v (see listenersMeeting). */
  listenersMeeting(values: Uint8Array, mask: number): Uint32Array {
    let byMask = this.meeting.get(values);
    if (!byMask) this.meeting.set(values, (byMask = new Map()));
    const known = byMask.get(mask);
    if (known) return known;
    const bits = listenersMeeting(values, mask, this.listeners);
    if (this.room(bits.byteLength)) byMask.set(mask, bits);
    return bits;
  }

  private room(bytes: number): boolean {
    if (this.bytes + bytes > this.maxBytes) return false;
    this.bytes += bytes;
    return true;
  }
}

function everyone(n: number): Int32Array {
  const list = new Int32Array(n);
  for (let i = 0; i < n; i++) list[i] = i;
  return list;
}
