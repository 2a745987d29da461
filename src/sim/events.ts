/**
 * Between-round events: press exposés, regulator fines, OS privacy updates, data breaches and
 * advertiser boycotts. A pack schedules some; others are drawn with probabilities that are linear
 * in what the player did this round (see EventMetric).
 */
import type { CompiledScenario } from './compiled';
import { nextUniform } from './random';
import type { EventEffect, EventMetric, EventType } from './scenario';
import { CHURNED, type SimState } from './state';

export type EventMetrics = Record<EventMetric, number>;

export interface EventOutcome {
  type: EventType;
  /** Probability it had this round (1 when scheduled). */
  chance: number;
  scheduled: boolean;
  signal?: string;
  os?: string;
  /** Money it cost this round (fines, breach clean-up). */
  cost: number;
  /** Listeners whose trust it hit. */
  affected: number;
}

export function chanceOf(formula: { base: number; per: Partial<Record<EventMetric, number>>; max: number }, metrics: EventMetrics): number {
  let p = formula.base;
  for (const [metric, coefficient] of Object.entries(formula.per) as [EventMetric, number][]) p += coefficient * metrics[metric];
  return p < 0 ? 0 : p > formula.max ? formula.max : p;
}

function sameEvent(a: EventEffect, b: EventEffect): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'osPrivacyUpdate' && b.type === 'osPrivacyUpdate') return a.signal === b.signal && a.os === b.os;
  return true;
}

/**
 * A press exposé's trust hit by attitude, for everyone who has not churned. Their trust after it is
 * summed into sums[0], in listener order, and counted in sums[1]. (A loop of its own over typed
 * arrays: it runs over every listener.)
 */
function pressHit(status: Uint8Array, attitude: Uint8Array, trust: Float32Array, hits: Float64Array, sums: Float64Array): void {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < status.length; i++) {
    if ((status[i]! & CHURNED) !== 0) continue;
    const t = trust[i]! + hits[attitude[i]!]!;
    trust[i] = t < 0 ? 0 : t;
    sum += trust[i]!;
    count++;
  }
  sums[0] = sum;
  sums[1] = count;
}

/**
 * A data breach: every record held, weighted by `weight` (summed into sums[2] listener by listener,
 * lowest signal first), and the trust hit of those not churned whose `sensitive` records leaked
 * (counted in sums[1]). Everyone's trust after it is summed into sums[0] as pressHit does.
 */
function breachHit(held: Uint32Array, status: Uint8Array, trust: Float32Array, weight: Float64Array, sensitive: number, hit: number, sums: Float64Array): void {
  let weighted = 0;
  let sum = 0;
  let affected = 0;
  for (let i = 0; i < held.length; i++) {
    const h = held[i]!;
    for (let rest = h; rest !== 0; rest &= rest - 1) weighted += weight[31 - Math.clz32(rest & -rest)]!;
    if ((status[i]! & CHURNED) !== 0) continue;
    if ((h & sensitive) !== 0) {
      const t = trust[i]! + hit;
      trust[i] = t < 0 ? 0 : t;
      affected++;
    }
    sum += trust[i]!;
  }
  sums[0] = sum;
  sums[1] = affected;
  sums[2] = weighted;
}

/**
 * Applies one event to the state (trust hits, gates, boycotts) and returns its cost and reach. An
 * event that hits trust also sums, in listener order, the trust of everyone who has not churned.
 */
function applyEvent(c: CompiledScenario, state: SimState, e: EventEffect, roundAdRevenue: number): { cost: number; affected: number; trustSum?: number } {
  const settings = c.scenario.events;
  const pop = state.pop;
  switch (e.type) {
    case 'pressExpose': {
      const hits = Float64Array.from(c.scenario.population.attitudes, (a) => a.pressTrustHit);
      const sums = new Float64Array(2);
      pressHit(pop.status, pop.attitude, pop.trust, hits, sums);
      return { cost: 0, affected: sums[1]!, trustSum: sums[0]! };
    }
    case 'regulatorFine': {
      const floor = (settings.minimumFinePerThousand * state.listeners) / 1000;
      const share = settings.fineShareOfAnnualRevenue * roundAdRevenue * settings.roundsPerYear;
      return { cost: share > floor ? share : floor, affected: 0 };
    }
    case 'osPrivacyUpdate': {
      if (!state.extraGates.some((g) => g.signal === e.signal && g.os === e.os)) state.extraGates.push({ signal: e.signal, os: e.os });
      const o = c.osIndex.get(e.os)!;
      let affected = 0;
      for (let i = 0; i < pop.count; i++) if (pop.os[i] === o && (pop.status[i]! & CHURNED) === 0) affected++;
      return { cost: 0, affected };
    }
    case 'dataBreach': {
      const sensitiveFrom = c.scenario.response.sensitiveFrom;
      const weight = Float64Array.from(c.signalSensitivity, (x) => x / 3);
      let sensitive = 0;
      c.signalSensitivity.forEach((x, s) => (sensitive |= x >= sensitiveFrom ? 1 << s : 0));
      const sums = new Float64Array(3);
      breachHit(pop.held, pop.status, pop.trust, weight, sensitive, settings.breachTrustHit, sums);
      return { cost: sums[2]! * settings.breachCostPerRecord, affected: sums[1]!, trustSum: sums[0]! };
    }
    case 'advertiserBoycott':
      state.boycottRoundsLeft = settings.boycottRounds;
      return { cost: 0, affected: 0 };
  }
}

/**
 * Draws and applies the events that follow a round. Every random event consumes exactly one draw
 * whether or not it fires, so the generator stays aligned however the probabilities change. When
 * an event hits trust, `trust.sum` becomes the trust of everyone who has not churned after the
 * events, summed in listener order.
 */
export function runEvents(
  c: CompiledScenario,
  state: SimState,
  roundIndex: number,
  metrics: EventMetrics,
  roundAdRevenue: number,
  trust: { sum: number | null } = { sum: null },
): EventOutcome[] {
  const scheduled = c.scenario.rounds[roundIndex]!.scheduledEvents;
  const fired: { effect: EventEffect; chance: number; scheduled: boolean }[] = scheduled.map((effect) => ({ effect, chance: 1, scheduled: true }));
  for (const e of c.scenario.events.random) {
    const chance = chanceOf(e.chance, metrics);
    const u = nextUniform(state.rng);
    if (u < chance && !fired.some((f) => sameEvent(f.effect, e))) {
      const { chance: _formula, ...effect } = e;
      fired.push({ effect, chance, scheduled: false });
    }
  }
  return fired.map(({ effect, chance, scheduled: isScheduled }) => {
    const { cost, affected, trustSum } = applyEvent(c, state, effect, roundAdRevenue);
    if (trustSum !== undefined) trust.sum = trustSum;
    const out: EventOutcome = { type: effect.type, chance, scheduled: isScheduled, cost, affected };
    if (effect.type === 'osPrivacyUpdate') {
      out.signal = effect.signal;
      out.os = effect.os;
    }
    return out;
  });
}
