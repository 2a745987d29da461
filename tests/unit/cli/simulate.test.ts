/**
 * The command-line tools, run as child processes the way a pack author runs them
 * (`node --import tsx src/cli/…`, from the repository root).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { playPlan } from '../../../src/sim';
import { examplePlans } from '../support';
import { cli, type Run } from './run';

const simulate = (...args: string[]) => cli('src/cli/simulate.ts', args);
const PACK = 'lessons/tunestream-basics';
const FIXTURES = 'tests/fixtures/plans';
const GOOD_PLAN = `${PACK}/plans/transparent-relevant.json`;
const STACK_LINE = /^\s+at /m;

// Spawning node with tsx takes a while on a slow machine; this is no timing assertion.
const SLOW = 120_000;

describe('simulate: example plans', { timeout: SLOW }, () => {
  const plans = examplePlans();
  const runs = new Map<string, Run>();
  const { scenario } = readPack(PACK);

  beforeAll(async () => {
    const results = await Promise.all(plans.map((p) => simulate('--pack', PACK, '--plan', `${PACK}/plans/${p.name}.json`)));
    plans.forEach((p, k) => runs.set(p.name, results[k]!));
  }, SLOW);

  it.each(examplePlans().map((p) => p.name))('prints a table of 4 rounds and the final score for %s', (name) => {
    const run = runs.get(name)!;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Pack tunestream-basics 1.0.0 · seed 1 · 10,000 listeners · plan ${PACK}/plans/${name}.json`);
    const header = run.stdout.split('\n').find((l) => l.includes('Round 1 ('))!;
    expect(header.match(/Round \d \(\w+\)/g)).toEqual(['Round 1 (launch)', 'Round 2 (growth)', 'Round 3 (scrutiny)', 'Round 4 (renewal)']);
    for (const row of ['Impressions', 'Ad revenue', 'Profit', 'Trust index', 'Score']) expect(run.stdout).toMatch(new RegExp(`^${row} `, 'm'));
    const final = /^Final score: (\d+\.\d) \/ 100$/m.exec(run.stdout);
    expect(final).not.toBeNull();
    // The same score as the simulation gives in this process.
    const outcome = playPlan(scenario, 1, 10_000, plans.find((p) => p.name === name)!.rounds);
    expect(Number(final![1])).toBeCloseTo(outcome.score, 1);
  });
});

describe('simulate: options', { timeout: SLOW }, () => {
  it('prints parseable JSON whose rounds equal playPlan’s results with --json', async () => {
    const run = await simulate('--pack', PACK, '--plan', GOOD_PLAN, '--seed', '7', '--listeners', '10000', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { pack: string; seed: number; listeners: number; score: number; hash: string; rounds: unknown[] };
    const { scenario, hash } = readPack(PACK);
    const plan = examplePlans().find((p) => p.name === 'transparent-relevant')!;
    const outcome = playPlan(scenario, 7, 10_000, plan.rounds);
    expect([out.pack, out.seed, out.listeners, out.hash]).toEqual(['tunestream-basics', 7, 10_000, hash]);
    expect(out.score).toBe(outcome.score);
    expect(out.rounds).toEqual(JSON.parse(JSON.stringify(outcome.results)));
    expect(out.rounds).toHaveLength(4);
  });

  it('plays a game of 500,000 listeners (a second thread may collect its rounds), gives the same rounds as this process, and exits', async () => {
    const plan = examplePlans().find((p) => p.name === 'collect-everything-buried')!;
    const run = await simulate('--pack', PACK, '--plan', `${PACK}/plans/collect-everything-buried.json`, '--listeners', '500000', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { score: number; rounds: unknown[] };
    const outcome = playPlan(readPack(PACK).scenario, 1, 500_000, plan.rounds);
    expect(out.score).toBe(outcome.score);
    expect(out.rounds).toEqual(JSON.parse(JSON.stringify(outcome.results)));
  });

  it('prints the help and exits 0 with --help', async () => {
    const run = await simulate('--help');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage:$/m);
    expect(run.stdout).toContain('--plan <path>');
  });
});

interface BadCase {
  name: string;
  args: string[];
  /** The file the message must name (when the problem is in a file). */
  file?: string;
  /** The one line expected on stderr. */
  line: RegExp;
}

const plan = (name: string) => `${FIXTURES}/${name}.json`;
const withPlan = (name: string, ...more: string[]) => ['--pack', PACK, '--plan', plan(name), ...more];

const BAD: BadCase[] = [
  {
    name: 'unknown signal',
    args: withPlan('unknown-signal'),
    file: plan('unknown-signal'),
    line: /: rounds\[0\]\.signals\[1\]: unknown signal "listening_histroy" \(did you mean "listening_history"\?\); allowed: "account_profile", .*"cross_app_id"$/,
  },
  {
    name: 'unknown segment in an assignment',
    args: withPlan('unknown-segment'),
    file: plan('unknown-segment'),
    line: /: rounds\[0\]\.assignments\[0\]\.segment: unknown segment "runers" \(did you mean "runners"\?\); allowed: "everyone", "runners"$/,
  },
  {
    name: 'unknown campaign',
    args: withPlan('unknown-campaign'),
    file: plan('unknown-campaign'),
    line: /: rounds\[0\]\.assignments\[0\]\.campaign: unknown campaign "stride_shoe" \(did you mean "stride_shoes"\?\); allowed: "frosty_scoops", .*"tiny_steps_baby"$/,
  },
  {
    name: 'negative budget',
    args: withPlan('budget-negative'),
    file: plan('budget-negative'),
    line: /: rounds\[0\]\.assignments\[0\]\.budget: must be .*0 \(got -5\)$/,
  },
  {
    name: 'cap out of range',
    args: withPlan('cap-out-of-range'),
    file: plan('cap-out-of-range'),
    line: /: rounds\[0\]\.assignments\[0\]\.cap: frequency cap 25 is out of range; allowed: a whole number from 1 to 20$/,
  },
  {
    name: 'unknown field in the plan file',
    args: withPlan('unknown-field'),
    file: plan('unknown-field'),
    line: /: rounds\[0\]\.signal: unknown field "signal" \(did you mean "signals"\?\); allowed here: "signals", "consent", "consentBySignal", "segments", "assignments", "quiz"$/,
  },
  {
    name: 'more rounds than the pack has',
    args: withPlan('too-many-rounds'),
    file: plan('too-many-rounds'),
    line: /: rounds: 5 rounds planned; the pack "tunestream-basics" has 4$/,
  },
  {
    name: 'malformed JSON',
    args: withPlan('malformed'),
    file: plan('malformed'),
    line: /: not valid JSON at line 3, column 38: Expected ',' or '}' after property value/,
  },
  {
    name: 'truncated file',
    args: withPlan('truncated'),
    file: plan('truncated'),
    line: /: not valid JSON at line 3, column \d+: the file ends too early \(was it cut off while saving or copying\?\)$/,
  },
  { name: 'empty file', args: withPlan('empty'), file: plan('empty'), line: /: the file is empty; expected a JSON object$/ },
  { name: 'missing file', args: withPlan('no-such-plan'), file: plan('no-such-plan'), line: /: cannot read: no such file$/ },
  { name: 'non-numeric --seed', args: ['--pack', PACK, '--plan', GOOD_PLAN, '--seed', 'abc'], line: /^--seed abc: expected a whole number from 0 to 4294967295$/ },
  { name: 'negative --seed', args: ['--pack', PACK, '--plan', GOOD_PLAN, '--seed=-1'], line: /^--seed -1: expected a whole number from 0 to 4294967295$/ },
];

describe('simulate: bad input exits 1 with one line naming the file, the JSON path and what is allowed', { timeout: SLOW }, () => {
  const runs = new Map<string, Run>();
  beforeAll(async () => {
    const all: [string, string[]][] = [...BAD.map((c) => [c.name, c.args] as [string, string[]]), ['budget out of range', withPlan('budget-out-of-range')]];
    // Two at a time: the machine may have only two cores.
    for (let k = 0; k < all.length; k += 2) {
      const pair = all.slice(k, k + 2);
      const out = await Promise.all(pair.map(([, args]) => simulate(...args)));
      pair.forEach(([name], j) => runs.set(name, out[j]!));
    }
  }, SLOW);

  it.each(BAD.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = runs.get(c.name)!;
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_LINE);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    if (c.file) expect(lines[0]!.startsWith(`${c.file}: `)).toBe(true);
    expect(lines[0]).toMatch(c.line);
  });

  it('budget out of range', () => {
    const run = runs.get('budget out of range')!;
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_LINE);
    const lines = run.stderr.trimEnd().split('\n');
    const prefix = `${plan('budget-out-of-range')}: rounds[0].assignments[0].budget: `;
    for (const line of lines) expect(line.startsWith(prefix), line).toBe(true);
    expect(lines).toContain(`${prefix}budget 250000 is out of range; allowed: a whole number of impressions from 0 to 200000 (20 ad slots × 10000 listeners)`);
  });
});

describe('schema', { timeout: SLOW }, () => {
  it('has the committed JSON Schemas up to date (npm run schema -- --check)', async () => {
    const run = await cli('src/cli/schema.ts', ['--check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
