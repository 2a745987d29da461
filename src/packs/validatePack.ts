/**
 * Full validation of a lesson pack: the schema, then what a schema cannot say (references between
 * parts, quiz answers in range, images present, every text in every locale), then a seeded smoke
 * game with an empty and a full plan. Problems name the file, the JSON path and the fix.
 */
import { DecisionError, listAllowed, type Market, nearestName, newMarket, playPlan, type PlainDecisions, type Scenario } from '../sim';
import { contentHash } from './contentHash';
import type { LoadedPack } from './loadPack';
import { packSchema, type Pack } from './packSchema';
import { formatPath, zodProblems, type Problem } from './problems';
import { toScenario } from './scenarioSchema';
import { packTexts } from './text';

/** Listener count of the smoke games: enough to exercise every code path, quick to run. */
const SMOKE_LISTENERS = 2000;

export interface ValidationResult {
  loaded: LoadedPack | null;
  problems: Problem[];
}

/**
 * A plan that uses everything on offer: every signal, the first consent design, one segment per
 * campaign (its strongest relevance condition) and every campaign served to it and to everyone.
 */
export function fullPlan(scenario: Scenario, listeners: number): Partial<PlainDecisions>[] {
  return scenario.rounds.map((round) => {
    const signals = round.signals ?? scenario.signals.map((s) => s.id);
    const campaigns = scenario.campaigns.filter((c) => !round.campaigns || round.campaigns.includes(c.id));
    const segments = campaigns
      .filter((c) => c.relevance.terms.length > 0)
      .slice(0, scenario.maxSegments)
      .map((c) => {
        const strongest = [...c.relevance.terms].sort((a, b) => b.add - a.add)[0]!;
        return { id: `for_${c.id}`, rule: { any: [{ all: [{ trait: strongest.trait, in: strongest.in }] }] } };
      });
    const assignments = campaigns.flatMap((c) => {
      const demand = Math.floor((c.demandPerThousand * listeners) / 1000);
      const half = Math.floor(demand / 2);
      const targeted = segments.some((s) => s.id === `for_${c.id}`) ? [{ campaign: c.id, segment: `for_${c.id}`, budget: half, cap: 5 }] : [];
      return [...targeted, { campaign: c.id, segment: 'everyone', budget: demand - (targeted.length ? half : 0), cap: 2 }];
    });
    return { signals, consent: scenario.consentDesigns[0]!.id, segments, assignments, quiz: round.quizKey };
  });
}

function referenceProblems(pack: Pack, file: string, images: ReadonlySet<string> | null): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ file, path: formatPath(path), message });
  const ref = (path: (string | number)[], what: string, name: string, allowed: string[]) => {
    if (allowed.includes(name)) return;
    const near = nearestName(name, allowed);
    add(path, `unknown ${what} "${name}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${listAllowed(allowed)}`);
  };
  const { scenario, lesson } = pack;
  if (lesson.rounds.length !== scenario.rounds.length)
    add(['lesson', 'rounds'], `${lesson.rounds.length} lesson rounds for ${scenario.rounds.length} scenario rounds; give one lesson round (briefing, debriefs, quiz) per scenario round`);

  const revealed = new Set(scenario.signals.flatMap((s) => s.reveals.map((r) => r.trait)));
  scenario.campaigns.forEach((c, k) =>
    c.relevance.terms.forEach((t, j) => {
      if (!revealed.has(t.trait))
        add(['scenario', 'campaigns', k, 'relevance', 'terms', j, 'trait'], `campaign "${c.id}" is relevant to trait "${t.trait}", but no signal reveals it, so no segment could ever find its audience; add a signal that reveals "${t.trait}" or drop the term`);
    }),
  );

  const objectiveIds = lesson.objectives.map((o) => o.id);
  const sourceIds = lesson.sources.map((s) => s.id);
  const signalIds = scenario.signals.map((s) => s.id);
  const designIds = scenario.consentDesigns.map((d) => d.id);
  const campaignIds = scenario.campaigns.map((c) => c.id);
  const dup = (path: (string | number)[], ids: string[], what: string) =>
    ids.forEach((x, k) => {
      if (ids.indexOf(x) !== k) add([...path, k, 'id'], `${what} id "${x}" is used twice; ids must be unique`);
    });
  dup(['lesson', 'objectives'], objectiveIds, 'objective');
  dup(['lesson', 'sources'], sourceIds, 'source');
  const quizIds = lesson.rounds.flatMap((r) => r.quiz.map((q) => q.id));
  lesson.rounds.forEach((round, r) => {
    round.quiz.forEach((q, k) => {
      const at = ['lesson', 'rounds', r, 'quiz', k];
      if (quizIds.indexOf(q.id) !== quizIds.lastIndexOf(q.id)) add([...at, 'id'], `quiz question id "${q.id}" is used twice; ids must be unique`);
      if (q.answer >= q.options.length) add([...at, 'answer'], `answer ${q.answer} is out of range; this question has ${q.options.length} options, so use 0 to ${q.options.length - 1}`);
      ref([...at, 'objective'], 'objective', q.objective, objectiveIds);
    });
    round.debriefs.forEach((d, k) => {
      const at = ['lesson', 'rounds', r, 'debriefs', k];
      d.sources.forEach((s, j) => ref([...at, 'sources', j], 'source', s, sourceIds));
      d.when.forEach((cond, j) => {
        if ('signal' in cond) ref([...at, 'when', j, 'signal'], 'signal', cond.signal, signalIds);
        if ('consent' in cond) ref([...at, 'when', j, 'consent'], 'consent design', cond.consent, designIds);
        if ('campaign' in cond) ref([...at, 'when', j, 'campaign'], 'campaign', cond.campaign, campaignIds);
      });
    });
    if (round.image && !(images?.has(round.image.file) ?? false))
      add(['lesson', 'rounds', r, 'image', 'file'], `image "${round.image.file}" is not in the pack; put it in the pack folder (or zip) at that path${images ? '' : ' — a bare pack.json cannot carry images, load the folder or a .zip'}`);
  });

  for (const [path, text] of packTexts(pack)) {
    if (typeof text === 'string') {
      if (pack.locales.length > 1) add(path, `this text has one version for all languages; the pack declares ${listAllowed(pack.locales)}, so give an object with a text per locale, e.g. {"${pack.locales[0]}": "…", "${pack.locales[1]}": "…"}`);
      continue;
    }
    for (const l of pack.locales) if (!(l in text)) add([...path, l], `missing the "${l}" text; every text needs each locale in "locales" (${listAllowed(pack.locales)})`);
    for (const l of Object.keys(text)) if (!pack.locales.includes(l)) add([...path, l], `locale "${l}" is not declared in "locales" (${listAllowed(pack.locales)}); add it there or remove this text`);
  }
  return problems;
}

function smokeProblems(scenario: Scenario, file: string): Problem[] {
  const problems: Problem[] = [];
  const plans: [string, Partial<PlainDecisions>[]][] = [
    ['empty plan', []],
    ['full plan', fullPlan(scenario, SMOKE_LISTENERS)],
  ];
  // Both games are played on one market, made when the first starts (so that a failure to make it
  // is reported as that game's failure).
  let shared: Market | undefined;
  const market = () => (shared ??= newMarket(scenario, 1, SMOKE_LISTENERS));
  for (const [name, plan] of plans) {
    try {
      const outcome = playPlan(scenario, 1, SMOKE_LISTENERS, plan, market());
      const bad = outcome.results.find((r) => !Number.isFinite(r.profit) || !Number.isFinite(r.score.total));
      if (bad) problems.push({ file, path: 'scenario', message: `smoke game (${name}): round ${bad.round + 1} produced a non-finite number; check the scenario's parameters` });
    } catch (e) {
      const why = e instanceof DecisionError ? e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ') : e instanceof Error ? e.message : String(e);
      problems.push({ file, path: 'scenario', message: `smoke game (${name}) failed: ${why}` });
    }
  }
  return problems;
}

/**
 * Validates a parsed pack.json. `images` lists the image files the pack carries (null for a bare
 * pack.json). The smoke game runs only when everything else is valid.
 */
export function validatePack(value: unknown, file: string, images: ReadonlySet<string> | null, smoke = true): ValidationResult {
  const parsed = packSchema.safeParse(value);
  if (!parsed.success) return { loaded: null, problems: zodProblems(file, packSchema, value, parsed.error) };
  const pack = parsed.data;
  const problems = referenceProblems(pack, file, images);
  if (problems.length > 0) return { loaded: null, problems };
  const scenario = toScenario(
    pack.scenario,
    pack.lesson.rounds.map((r) => r.quiz.map((q) => q.answer)),
  );
  if (smoke) problems.push(...smokeProblems(scenario, file));
  return { loaded: problems.length ? null : { pack, scenario, hash: contentHash(value) }, problems };
}
