/**
 * Shared helpers of the unit tests: the default pack's scenario, its example plans, and small
 * builders for decisions. Not a test file itself (vitest only collects *.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { scenarioSchema, toScenario } from '../../src/packs/scenarioSchema';
import type { Assignment, PlainDecisions, Scenario, SegmentSpec, SimState } from '../../src/sim';
import { CHURNED } from '../../src/sim/state';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const PACK_DIR = join(REPO, 'lessons/tunestream-basics');
export const PLANS_DIR = join(PACK_DIR, 'plans');

let cached: Scenario | undefined;

/**
 * The scenario of lessons/tunestream-basics, parsed by the pack's scenario schema (so every default
 * of the appendix calibration is filled in). Only the scenario part is read: the manifest and the
 * lesson content around it do not change the model.
 */
export function defaultScenario(): Scenario {
  if (!cached) {
    const pack = JSON.parse(readFileSync(join(PACK_DIR, 'pack.json'), 'utf8')) as { scenario: unknown };
    cached = toScenario(scenarioSchema.parse(pack.scenario));
  }
  return cached;
}

/** A fresh deep copy of the default scenario, changed by `patch` (a new object, so it compiles anew). */
export function scenarioWith(patch: (s: Scenario) => void): Scenario {
  const s = structuredClone(defaultScenario());
  patch(s);
  return s;
}

/** The default scenario without random events (for tests of one mechanism at a time). */
export function quietScenario(patch: (s: Scenario) => void = () => {}): Scenario {
  return scenarioWith((s) => {
    s.events.random = [];
    patch(s);
  });
}

export interface ExamplePlan {
  name: string;
  file: string;
  rounds: Partial<PlainDecisions>[];
}

/** The example plans of the default pack, read from its plans/ folder. */
export function examplePlans(): ExamplePlan[] {
  return readdirSync(PLANS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(PLANS_DIR, f);
      const json = JSON.parse(readFileSync(file, 'utf8')) as { rounds: Partial<PlainDecisions>[] };
      return { name: f.replace(/\.json$/, ''), file, rounds: json.rounds };
    });
}

export function examplePlan(name: string): ExamplePlan {
  const plan = examplePlans().find((p) => p.name === name);
  if (!plan) throw new Error(`no example plan "${name}" in ${PLANS_DIR}`);
  return plan;
}

/** A segment of one condition: `trait` in `values`. */
export function seg(id: string, trait: string, values: string[]): SegmentSpec {
  return { id, rule: { any: [{ all: [{ trait, in: values }] }] } };
}

export function assign(campaign: string, segment: string, budget: number, cap: number): Assignment {
  return { campaign, segment, budget, cap };
}

/** Index of an id in a list of things with ids (fails loudly on a typo in a test). */
export function indexOfId(list: { id: string }[], id: string): number {
  const k = list.findIndex((x) => x.id === id);
  if (k < 0) throw new Error(`unknown id "${id}"`);
  return k;
}

/** Asserts that `count` of `n` is a share within four standard errors of `p`. */
export function expectShare(count: number, n: number, p: number, label = ''): void {
  expect(n, `${label}: empty group`).toBeGreaterThan(0);
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / n) + 1e-9;
  const share = count / n;
  expect(Math.abs(share - p), `${label}: share ${share.toFixed(4)} vs expected ${p.toFixed(4)} (±${tolerance.toFixed(4)})`).toBeLessThanOrEqual(tolerance);
}

/**
 * The reading model, for hand-derived expectations: a covered listener's reading of a trait with V
 * values is right with probability a (the signal's accuracy), missing with (1 − a)·m
 * (m = response.errorMissingShare), else one of the V − 1 other values, each equally likely.
 * For a set of k of those values holding share `share` of listeners, returns the shares of
 * covered listeners read into the set who truly are in it (`truly`) and who are not (`falsely`).
 */
export function readInto(a: number, m: number, V: number, k: number, share: number): { truly: number; falsely: number } {
  const toEachOther = ((1 - a) * (1 - m)) / (V - 1);
  return { truly: a * share + toEachOther * (k - 1) * share, falsely: toEachOther * k * (1 - share) };
}

/** Asserts |actual − expected| ≤ tolerance, with a readable message. */
export function expectNear(actual: number, expected: number, tolerance: number, label = ''): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs expected ${expected} (±${tolerance})`).toBeLessThanOrEqual(tolerance);
}

/** Listeners an ad can target at the start of a round: free tier, not churned, not opted out. */
export function countTargetable(state: SimState): number {
  let n = 0;
  for (let i = 0; i < state.pop.count; i++) if (state.pop.premium[i] === 0 && state.pop.status[i] === 0) n++;
  return n;
}

/** Free-tier listeners who have not churned (those that can hear ads). */
export function countReachable(state: SimState): number {
  let n = 0;
  for (let i = 0; i < state.pop.count; i++) if (state.pop.premium[i] === 0 && (state.pop.status[i]! & CHURNED) === 0) n++;
  return n;
}

/** Every number anywhere inside a value, with its path (for NaN and range checks). */
export function numbersIn(value: unknown, path = '$'): { path: string; value: number }[] {
  if (typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, k) => numbersIn(v, `${path}[${k}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

/**
 * Per-test timeout for tests that play rounds: generous, because the suite may run on a slow or busy
 * two-core machine. No test asserts anything about time.
 */
export const SIM_TIMEOUT = 60_000;
