/** `npm run simulate`: plays a whole scenario from a plan file and prints the results. */
import { availableParallelism } from 'node:os';
import { planSchema } from '../packs/planSchema';
import { zodProblems } from '../packs/problems';
import { DecisionError, type RoundResult } from '../sim';
import type { LoadedPack } from '../packs/loadPack';
import { decodeClassCode, packRef } from '../scores/classCode';
import { classProblems, classProblemText, scenarioForCode } from '../scores/classPlay';
import { playForScore } from '../scores/playScore';
import { scoreFileText } from '../scores/scoreFile';
import { APP_VERSION, fail, intOption, isMain, parseCliArgs, readJson, readPack, runCli, UsageError, writeText } from './cliSupport';
import { lendRoundsAThread } from './roundHelper';
import { fmt, renderTable } from './table';

const HELP = `
Plays a whole scenario of a lesson pack from a plan file and prints the per-round results.

Usage:
  npm run simulate -- --pack <folder|pack.json> --plan <plan.json> [--seed N] [--listeners N] [--json]
                      [--class CODE] [--export <score.json> --nickname NAME]

Options:
  --pack <path>       lesson pack: a folder holding pack.json, or the pack.json itself
  --plan <path>       plan file: every round's decisions (format: public/plan.schema.json)
  --seed <N>          market seed, a whole number from 0 to 4294967295 (default 1)
  --listeners <N>     listener count (default: the pack's, usually 10,000; at most the pack's maximum)
  --class <CODE>      play a class's game: its seed, listeners, rounds and weights (instead of
                      --seed and --listeners)
  --export <path>     also write a score file, exactly as the game exports it
  --nickname <NAME>   the player's nickname in the score file (default "cli")
  --json              print the full results as JSON instead of a table
  -h, --help          show this help

Example:
  npm run simulate -- --pack lessons/tunestream-basics --plan lessons/tunestream-basics/plans/untargeted.json
`;

function table(results: RoundResult[], score: number): string {
  const rows: [string, (r: RoundResult) => string][] = [
    ['Impressions', (r) => fmt.int(r.impressions)],
    ['  targeted or sold', (r) => fmt.int(r.campaignImpressions)],
    ['Reach (listeners)', (r) => fmt.int(r.reach)],
    ['CTR', (r) => fmt.pct(r.ctr)],
    ['Conversions', (r) => fmt.int(r.conversions)],
    ['Ad revenue', (r) => fmt.money(r.adRevenue)],
    ['Data cost', (r) => fmt.money(r.dataCost)],
    ['Churn loss', (r) => fmt.money(r.churnLoss)],
    ['Fines', (r) => fmt.money(r.fines)],
    ['Breach cost', (r) => fmt.money(r.breachCost)],
    ['Profit', (r) => fmt.money(r.profit)],
    ['Trust index', (r) => fmt.dec1(r.trustIndex)],
    ['Creepy exposures', (r) => fmt.int(r.creepyExposures)],
    ['Creep complaints', (r) => fmt.int(r.creepComplaints)],
    ['Opt-out rate', (r) => fmt.pct(r.optOutRate)],
    ['Churned (total)', (r) => fmt.int(r.listeners.churned)],
    ['Harmed listeners', (r) => fmt.int(r.harmedListeners)],
    ['Compliance flags', (r) => r.flags.join(', ') || '–'],
    ['Events', (r) => r.events.map((e) => e.type + (e.signal ? `(${e.signal}/${e.os})` : '')).join(', ') || '–'],
    ['Score', (r) => fmt.dec1(r.score.total)],
  ];
  const header = ['', ...results.map((r) => `Round ${r.round + 1} (${r.roundId})`)];
  const body = rows.map(([label, f]) => [label, ...results.map(f)]);
  const lines = [renderTable(header, body)];
  for (const r of results) {
    if (r.segments.length === 0) continue;
    lines.push('', `Round ${r.round + 1} segment report cards (against the truth):`);
    lines.push(
      renderTable(
        ['segment', 'campaign', 'members', 'substantial', 'homogeneous', 'heterogeneous', 'operational', 'score'],
        r.segments.map((s) => [
          s.segment,
          s.campaign,
          fmt.int(s.members),
          `${s.substantial.grade} ${fmt.pct(s.substantial.value)}`,
          `${s.homogeneous.grade} sd ${s.homogeneous.value.toFixed(2)}`,
          `${s.heterogeneous.grade} gap ${s.heterogeneous.value.toFixed(2)}`,
          `${s.operational.grade} ${fmt.pct(s.operational.value)}`,
          fmt.dec1(s.score * 100),
        ]),
        new Set([0, 1]),
      ),
    );
  }
  lines.push('', `Final score: ${fmt.dec1(score)} / 100`);
  return lines.join('\n');
}

/** The class a --class code names, checked against the pack. */
function classFor(typed: string, pack: LoadedPack): { code: string; seed: number; listeners: number } {
  const decoded = decodeClassCode(typed);
  if (!decoded.ok) throw new UsageError([`--class ${typed}: not a valid class code (${decoded.error === 'check' ? 'a typo: the check character does not match' : decoded.error})`]);
  if (decoded.settings.packRef !== packRef(pack.pack.id, pack.pack.version)) throw new UsageError([`--class ${typed}: this class plays another pack than ${pack.pack.id} ${pack.pack.version}`]);
  const problems = classProblems(decoded.settings, pack);
  if (problems.length) throw new UsageError(problems.map((p) => `--class ${typed}: ${classProblemText(p)}`));
  return { code: decoded.code, seed: decoded.settings.seed, listeners: decoded.settings.listeners };
}

const SECOND_THREAD_FROM = 500_000;

if (isMain(import.meta.url))
  runCli(() => {
  const { values } = parseCliArgs(
    {
      pack: { type: 'string' },
      plan: { type: 'string' },
      seed: { type: 'string' },
      listeners: { type: 'string' },
      class: { type: 'string' },
      export: { type: 'string' },
      nickname: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (!values.pack || !values.plan) throw new UsageError(['Both --pack and --plan are required.', '', HELP.trim()]);
  if (values.nickname !== undefined && !values.export) throw new UsageError(['--nickname goes with --export <file>.']);
  if (values.nickname !== undefined && (values.nickname.trim() === '' || values.nickname.length > 40)) throw new UsageError([`--nickname: 1 to 40 characters`]);
  const pack = readPack(values.pack);
  const planJson = readJson(values.plan);
  const plan = planSchema.safeParse(planJson);
  if (!plan.success) fail(zodProblems(values.plan, planSchema, planJson, plan.error));
  const cls = values.class === undefined ? null : classFor(values.class, pack);
  if (cls && (values.seed !== undefined || values.listeners !== undefined)) throw new UsageError(['--class sets the seed and the listener count; leave out --seed and --listeners.']);
  const seed = cls?.seed ?? intOption('seed', values.seed, 0, 0xffffffff) ?? 1;
  const pop = pack.scenario.population;
  const listeners = cls?.listeners ?? intOption('listeners', values.listeners, 100, pop.maxListeners) ?? pop.defaultListeners;
  const classCode = cls?.code ?? null;
  const scenario = scenarioForCode(pack.scenario, classCode);
  const rounds = scenario.rounds.length;
  if (plan.data.rounds.length > rounds)
    fail([{ file: values.plan, path: 'rounds', message: `${plan.data.rounds.length} rounds planned; ${cls ? 'the class plays' : `the pack "${pack.pack.id}" has`} ${rounds}` }]);
  // A second thread collects while this one serves; it takes about half a second to start, so
  // only games of many listeners on more than one core are worth it (rounds before it is ready
  // run here).
  if (listeners >= SECOND_THREAD_FROM && availableParallelism() > 1) lendRoundsAThread();
  const now = new Date().toISOString();
  let played;
  try {
    played = playForScore(pack, plan.data.rounds, { appVersion: APP_VERSION, classCode, nickname: values.nickname ?? 'cli', seed, listeners, startedAt: now, exportedAt: now });
  } catch (e) {
    if (e instanceof DecisionError)
      fail(e.issues.map((i) => ({ file: values.plan!, path: `rounds[${e.round}]${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`, message: i.message })));
    throw e;
  }
  const { outcome } = played;
  if (values.export) writeText(values.export, scoreFileText(played.file));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ pack: pack.pack.id, version: pack.pack.version, hash: pack.hash, seed, listeners, score: outcome.score, rounds: outcome.results }, null, 2)}\n`);
    return;
  }
  const notes = outcome.results.flatMap((r) => r.ignored.map((area) => `note: round ${r.round + 1}: the pack keeps "${area}" closed in this round; the plan's choice was ignored`));
  process.stdout.write(`Pack ${pack.pack.id} ${pack.pack.version} · seed ${seed} · ${fmt.int(listeners)} listeners · plan ${values.plan}\n\n`);
  if (notes.length) process.stdout.write(`${notes.join('\n')}\n\n`);
  process.stdout.write(`${table(outcome.results, outcome.score)}\n`);
});
