/**
 * `npm run bench`: speed and memory of one simulation round at 10,000 / 100,000 / 1,000,000
 * listeners (12 signals, 6 segments, 8 campaigns), against a floor pass that reads the same typed
 * arrays once. Each size runs in its own child process so that peak memory is its own. Then the
 * time to verify 300 score files by replay.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { createState, playRound, type PlainDecisions, type Scenario, type SimState } from '../sim';
import { LENT_FROM, workspaceFor } from '../sim/observe';
import { timeVerify, writeBenchFiles } from './benchVerify';
import { isMain, parseCliArgs, readPack, runCli } from './cliSupport';
import { lendRoundsAThread } from './roundHelper';
import { fmt, renderTable } from './table';
import { defaultThreads } from './verifyPool';

const HELP = `
Measures one simulation round at several listener counts.

Usage:
  npm run bench [-- --sizes 10000,100000,1000000] [--pack <folder|pack.json>] [--no-verify]

Prints, per size: time of one round (median of the rounds timed in 3 fresh processes, with each
process's median listed), listener-rounds per second, peak memory per listener (the largest of the
processes), the time of a floor pass (one read of the same typed arrays) and the ratio round ÷ floor.
Rounds large enough to be lent a second thread (which collects while this one serves) are timed
on one thread and on two.
Then the time to verify 300 score files (4 rounds, 10,000 listeners) by replay, on one thread and
on every core: the median of 3 runs, each in a fresh process (--no-verify leaves this out).
`;

const DEFAULT_PACK = 'lessons/tunestream-basics';
/** Verify timings per thread count; the median is reported (the machine's speed swings between minutes). */
const VERIFY_RUNS = 3;

/** A heavy round: every default signal, six segments, eight campaigns. */
export function benchDecisions(scenario: Scenario, listeners: number): PlainDecisions {
  const seg = (id: string, trait: string, values: string[]) => ({ id, rule: { any: [{ all: [{ trait, in: values }] }] } });
  const segments = [
    seg('runners', 'runner', ['yes']),
    seg('fans', 'genre', ['pop', 'latin']),
    seg('commuters', 'commuter', ['yes']),
    seg('heartbroken', 'mood', ['heartbreak']),
    { id: 'young_night', rule: { any: [{ all: [{ trait: 'age', in: ['18-24'] }, { trait: 'night_owl', in: ['yes'] }] }, { all: [{ trait: 'interest', in: ['gaming'] }] }] } },
    seg('tech', 'interest', ['tech']),
  ];
  const budget = Math.floor((1500 * listeners) / 1000);
  const pairs: [string, string][] = [
    ['stride_shoes', 'runners'],
    ['live_nights', 'fans'],
    ['metro_coffee', 'commuters'],
    ['frosty_scoops', 'heartbroken'],
    ['lucky_goal_betting', 'young_night'],
    ['quietbeat_headphones', 'tech'],
    ['calm_mind_app', 'heartbroken'],
    ['sparkmatch', 'everyone'],
  ];
  return {
    signals: scenario.signals.map((s) => s.id),
    consent: 'bundled',
    consentBySignal: {},
    segments,
    assignments: pairs.map(([campaign, segment]) => ({ campaign, segment, budget, cap: 5 })),
    quiz: [],
  };
}

function sum8(a: Uint8Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i]!;
  return acc;
}
function sum16(a: Uint16Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i]!;
  return acc;
}
function sum32(a: Uint32Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i]!;
  return acc;
}
function sumI32(a: Int32Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i]!;
  return acc;
}
function sumF32(a: Float32Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i]!;
  return acc;
}

/**
 * The speed floor: one read of every typed array a round reads (the population and the round's
 * workspace), each by a tight loop of its own element type.
 */
export function floorPass(state: SimState): number {
  const p = state.pop;
  const ws = workspaceFor(p.count, p.traits.length);
  let acc = sumF32(p.trust) + sum32(p.held) + sum32(ws.membership) + sum16(ws.readKey) + sumI32(ws.targetList);
  for (const a of [p.premium, p.os, p.attitude, p.agrees, p.status, ...p.traits, ...ws.observed]) acc += sum8(a);
  for (const a of p.noise) acc += sum16(a);
  return acc;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface ChildResult {
  listeners: number;
  threads: number;
  /** Every round timed, and every floor pass. */
  roundMs: number[];
  floorMs: number[];
  peakBytesPerListener: number;
}

/**
 * Child processes per row. This machine's speed swings for minutes at a time (the same loop over
 * the same arrays takes 1.2 ms in one process and 2.4 ms in the next), so one process may time
 * every one of its rounds in a slow spell: the row's figures are the medians over the rounds of
 * several processes, and each process's own median is listed.
 */
const ROUND_PROCESSES = 3;

async function measure(packPath: string, listeners: number, threads: number): Promise<ChildResult> {
  const { scenario } = readPack(packPath);
  const decisions = benchDecisions(scenario, listeners);
  const thread = threads > 1 ? lendRoundsAThread() : null;
  await thread?.ready;
  const rssBefore = resourceUsage().maxRSS * 1024;
  const state = createState(scenario, 7, listeners);
  const repeats = listeners >= 1_000_000 ? 7 : listeners >= 100_000 ? 9 : 25;
  const times: number[] = [];
  let sink = 0;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const { result } = playRound(scenario, state, decisions);
    times.push(performance.now() - t0);
    sink += result.impressions;
  }
  const floors: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    sink += floorPass(state);
    floors.push(performance.now() - t0);
  }
  if (!Number.isFinite(sink)) throw new Error('unreachable');
  const peak = resourceUsage().maxRSS * 1024 - rssBefore;
  if (thread && thread.rounds() !== repeats) throw new Error(`the second thread took ${thread.rounds()} of ${repeats} rounds`);
  await thread?.stop();
  return { listeners, threads, roundMs: times, floorMs: floors, peakBytesPerListener: peak / listeners };
}

if (isMain(import.meta.url)) runCli(async () => {
  const { values } = parseCliArgs(
    { sizes: { type: 'string' }, pack: { type: 'string' }, child: { type: 'string' }, 'verify-child': { type: 'string' }, threads: { type: 'string' }, 'no-verify': { type: 'boolean' } },
    HELP,
  );
  const packPath = values.pack ?? DEFAULT_PACK;
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(packPath, Number(values.child), Number(values.threads ?? 1))));
    return;
  }
  if (values['verify-child']) {
    process.stdout.write(JSON.stringify(await timeVerify(values['verify-child'], Number(values.threads ?? 1))));
    return;
  }
  const sizes = (values.sizes ?? '10000,100000,1000000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const runs = sizes.flatMap((n) => (n >= LENT_FROM ? [[n, 1], [n, 2]] : [[n, 1]]));
  const rows = runs.map(([n, threads]) => {
    const children = Array.from({ length: ROUND_PROCESSES }, () => {
      const out = execFileSync(process.execPath, [...process.execArgv, self, '--child', String(n), '--threads', String(threads), '--pack', packPath], { encoding: 'utf8' });
      return JSON.parse(out) as ChildResult;
    });
    const roundMs = median(children.flatMap((r) => r.roundMs));
    const floorMs = median(children.flatMap((r) => r.floorMs));
    // The largest: memory is a ceiling, not a typical value.
    const peak = Math.max(...children.map((r) => r.peakBytesPerListener));
    return [
      fmt.int(n!),
      String(threads),
      `${roundMs.toFixed(1)} ms`,
      fmt.int((n! / roundMs) * 1000),
      `${peak.toFixed(0)} B`,
      `${floorMs.toFixed(2)} ms`,
      `${(roundMs / floorMs).toFixed(1)}×`,
      children.map((r) => median(r.roundMs).toFixed(1)).join(' '),
    ];
  });
  process.stdout.write(`One round: 12 signals, 6 segments, 8 campaigns (median of the rounds timed in ${ROUND_PROCESSES} processes; each process's median listed)\n\n`);
  process.stdout.write(`${renderTable(['listeners', 'threads', 'round', 'listener-rounds/s', 'peak memory/listener', 'floor pass', 'round ÷ floor', 'per process (ms)'], rows)}\n`);
  if (values['no-verify']) return;
  const dir = mkdtempSync(join(tmpdir(), 'tracks-bench-'));
  try {
    writeBenchFiles(dir);
    const timings = [1, defaultThreads()].map((threads) => {
      const runs = Array.from({ length: VERIFY_RUNS }, () => {
        const out = execFileSync(process.execPath, [...process.execArgv, self, '--verify-child', dir, '--threads', String(threads)], { encoding: 'utf8' });
        return JSON.parse(out) as { files: number; ms: number };
      });
      return { threads, files: runs[0]!.files, ms: median(runs.map((r) => r.ms)), all: runs.map((r) => r.ms) };
    });
    process.stdout.write(
      `\nVerifying ${timings[0]!.files} score files (4 rounds, 10,000 listeners) by replay, as \`npm run verify\` does (median of ${VERIFY_RUNS} runs, each in a fresh process):\n` +
        `${renderTable(
          ['threads', 'time', 'per file', 'runs'],
          timings.map((r) => [String(r.threads), `${(r.ms / 1000).toFixed(2)} s`, `${(r.ms / r.files).toFixed(1)} ms`, r.all.map((ms) => (ms / 1000).toFixed(2)).join(' ')]),
        )}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
