/**
 * Collection: which listeners each collected signal covers (consent design × attitude, OS
 * permission prompts, opt-outs), what the company then observes about each trait (right, wrong or
 * missing), and segment membership over those observations.
 */
import { MISSING, type CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import { hashUniform, pickCumulative, streamKey } from './random';
import { CHURNED, OPTED_OUT, Stream, type Population, type SimState } from './state';

/** Scratch arrays reused between rounds of the same size (fully rewritten by every pass). */
export interface Workspace {
  count: number;
  coverage: Uint32Array;
  observed: Uint8Array[];
  /** Index of the signal behind each observation. */
  observer: Uint8Array[];
  membership: Uint32Array;
}

let pooled: Workspace | null = null;

export function workspaceFor(count: number, traitCount: number): Workspace {
  if (pooled && pooled.count === count && pooled.observed.length === traitCount) return pooled;
  pooled = {
    count,
    coverage: new Uint32Array(count),
    observed: Array.from({ length: traitCount }, () => new Uint8Array(count)),
    observer: Array.from({ length: traitCount }, () => new Uint8Array(count)),
    membership: new Uint32Array(count),
  };
  return pooled;
}

/** gate[s * osCount + o] = 1 when the OS prompts for the signal now (base gates plus OS updates). */
export function currentGates(c: CompiledScenario, state: SimState): Uint8Array {
  const gates = c.gatedBase.slice();
  const osCount = c.scenario.population.os.length;
  for (const g of state.extraGates) gates[c.signalIndex.get(g.signal)! * osCount + c.osIndex.get(g.os)!] = 1;
  return gates;
}

/** Redraws the traits that change between rounds (moods, life events). */
export function driftTraits(c: CompiledScenario, state: SimState): void {
  const pop = state.pop;
  const key = streamKey(state.seed, Stream.moodChange, state.round);
  for (let t = 0; t < pop.traits.length; t++) {
    const change = c.traitChange[t]!;
    if (change <= 0) continue;
    const values = pop.traits[t]!;
    const cum = c.traitCumulative[t]!;
    for (let i = 0; i < pop.count; i++) {
      const u = hashUniform(key, i, t * 2);
      if (u < change) values[i] = pickCumulative(cum, hashUniform(key, i, t * 2 + 1));
    }
  }
}

/** Fills ws.coverage, ws.observed, ws.observer for this round's collection decisions. */
export function observe(c: CompiledScenario, state: SimState, d: ResolvedDecisions, ws: Workspace): void {
  const pop: Population = state.pop;
  const n = pop.count;
  const osCount = c.scenario.population.os.length;
  const attitudeCount = c.scenario.population.attitudes.length;
  const gates = currentGates(c, state);
  const missShare = c.scenario.response.errorMissingShare;
  const kConsent = streamKey(state.seed, Stream.consent);
  const kPrompt = streamKey(state.seed, Stream.osPrompt);
  const kStatic = streamKey(state.seed, Stream.observeStatic);
  const kDynamic = streamKey(state.seed, Stream.observeDynamic, state.round);
  const collected = d.signals;
  const sigCount = collected.length;
  const needsConsent = c.needsConsent;
  const consentRow = new Int32Array(sigCount);
  for (let k = 0; k < sigCount; k++) consentRow[k] = d.consentOf[collected[k]!]! * attitudeCount;
  const traitCount = pop.traits.length;
  // Per trait: revealing signals that are collected this round, most accurate first.
  const readers = c.revealsByTrait.map((list) => list.filter((r) => collected.includes(r.signal)));
  const keyOf = Array.from(c.traitChange, (change) => (change > 0 ? kDynamic : kStatic));
  const { status, os, attitude, held, traits } = pop;
  for (let i = 0; i < n; i++) {
    const st = status[i]!;
    let covered = 0;
    if ((st & CHURNED) === 0) {
      const uConsent = hashUniform(kConsent, i, 0);
      const o = os[i]!;
      const a = attitude[i]!;
      for (let k = 0; k < sigCount; k++) {
        const s = collected[k]!;
        if ((st & OPTED_OUT) !== 0 && c.respectsOptOut[s] === 1) continue;
        if (needsConsent[s] === 1 && uConsent >= c.consentCoverage[consentRow[k]! + a]!) continue;
        if (gates[s * osCount + o] === 1 && hashUniform(kPrompt, i, s) >= c.promptOptIn[o]!) continue;
        covered |= 1 << s;
      }
    }
    ws.coverage[i] = covered >>> 0;
    held[i] = (held[i]! | covered) >>> 0;
    for (let t = 0; t < traitCount; t++) {
      let value = MISSING;
      let by = MISSING;
      if (covered !== 0) {
        const list = readers[t]!;
        for (let r = 0; r < list.length; r++) {
          const reader = list[r]!;
          if ((covered & (1 << reader.signal)) === 0) continue;
          const u = hashUniform(keyOf[t]!, i, t * 32 + reader.signal);
          const acc = reader.accuracy;
          if (u < acc) {
            value = traits[t]![i]!;
          } else {
            const missAt = acc + (1 - acc) * missShare;
            if (u < missAt) continue;
            value = pickCumulative(c.traitCumulative[t]!, (u - missAt) / (1 - missAt));
          }
          by = reader.signal;
          break;
        }
      }
      ws.observed[t]![i] = value;
      ws.observer[t]![i] = by;
    }
  }
}

/** Fills ws.membership: bit k set when listener i matches segment k on observed attributes. */
export function computeMembership(state: SimState, d: ResolvedDecisions, ws: Workspace): void {
  const { status } = state.pop;
  const segs = d.segments;
  const observed = ws.observed;
  for (let i = 0; i < ws.count; i++) {
    let m = 0;
    // Churned and opted-out listeners are never targeted.
    if (status[i] === 0) {
      for (let k = 0; k < segs.length; k++) if (matchesRule(observed, i, segs[k]!.clauses)) m |= 1 << k;
    }
    ws.membership[i] = m >>> 0;
  }
}

/** Whether the listener's values (true or observed) satisfy a segment rule. */
export function matchesRule(values: Uint8Array[], i: number, clauses: { trait: number; mask: number }[][]): boolean {
  for (const conds of clauses) {
    let all = true;
    for (const cond of conds) {
      const v = values[cond.trait]![i]!;
      if (v === MISSING || (cond.mask & (1 << v)) === 0) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
