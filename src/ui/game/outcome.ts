/**
 * After the round: the results dashboard, the debrief (texts, the "swap seats" persona view, the
 * quiz, the events that open the next round), the briefing before a round and the final report.
 */
import { applicableDebriefs } from '../../packs/debrief';
import type { EventOutcome, ListenerTrace, RoundResult, ScoreComponent } from '../../sim';
import { finalBreakdown } from '../../sim';
import { CHART_NOTE_ID, roundSeries } from '../../scenes/outcomeCharts';
import { dataTable, h, scrollingTable } from '../dom';
import type { Panel, PanelContext } from './context';
import { gradeMark } from './planning';

export function headline(ctx: PanelContext, e: EventOutcome): string {
  const { t, names, fmt } = ctx;
  return t(`headline.${e.type}`, { amount: fmt.money(e.cost), os: e.os ? t(`os.${e.os}` as never) : '', signal: e.signal ? names.signal(e.signal) : '' });
}

export function briefingPanel(ctx: PanelContext): Panel {
  const { t, names } = ctx;
  const game = ctx.game();
  const { pack } = game.pack;
  const r = game.results.length;
  const lesson = pack.lesson.rounds[r]!;
  const previousEvents = game.results[r - 1]?.events ?? [];
  const element = h(
    'div',
    { class: 'phase phase--briefing' },
    r === 0
      ? h(
          'section',
          { 'aria-labelledby': 'objectives-heading' },
          h('h3', { id: 'objectives-heading' }, t('game.objectives')),
          h('ul', {}, ...pack.lesson.objectives.map((o) => h('li', {}, names.text(o.text)))),
          h('p', { class: 'help' }, pack.chapters.map((c) => t('packs.chapter', { textbook: t(`textbook.${c.textbook}`), edition: c.edition, chapter: c.chapter, topic: t(`topic.${c.topic}`) })).join(' · ')),
        )
      : null,
    previousEvents.length ? h('section', { class: 'headlines', 'aria-label': t('game.news') }, ...previousEvents.map((e) => h('p', { class: 'headline' }, headline(ctx, e)))) : null,
    h('h3', {}, names.text(lesson.title)),
    lesson.image ? packImage(game.pack.images?.get(lesson.image.file), names.text(lesson.image.alt)) : null,
    h('p', { class: 'briefing-text' }, names.text(lesson.briefing)),
  );
  return { element };
}

const imageUrls = new WeakMap<Uint8Array, string>();

/** A pack image, always as an <img> (an SVG's scripts never run there), from a blob URL. */
function packImage(image: { type: string; bytes: Uint8Array } | undefined, alt: string): HTMLElement | null {
  if (!image) return null;
  let url = imageUrls.get(image.bytes);
  if (!url) {
    url = URL.createObjectURL(new Blob([image.bytes as BlobPart], { type: image.type }));
    imageUrls.set(image.bytes, url);
  }
  return h('img', { class: 'pack-image', src: url, alt });
}

export function resultsPanel(ctx: PanelContext): Panel {
  const { t, names, fmt } = ctx;
  const game = ctx.game();
  const res = game.results[game.results.length - 1]!;
  const prev = game.results[game.results.length - 2];
  const delta = (now: number, before: number | undefined, format: (x: number) => string) =>
    before === undefined ? format(now) : `${format(now)} (${now >= before ? '+' : '−'}${format(Math.abs(now - before))})`;
  const kpis = dataTable(t('game.kpiCaption'), [t('game.figure'), t('game.value')], [
    [t('kpi.revenue'), delta(res.adRevenue, prev?.adRevenue, fmt.money)],
    [t('kpi.dataCost'), fmt.money(res.dataCost)],
    [t('kpi.churnLoss'), fmt.money(res.churnLoss)],
    [t('kpi.fines'), fmt.money(res.fines + res.breachCost)],
    [t('kpi.profit'), delta(res.profit, prev?.profit, fmt.money)],
    [t('kpi.trust'), `${fmt.dec1(res.trustBefore)} → ${fmt.dec1(res.trustIndex)}`],
    [t('kpi.reach'), fmt.int(res.reach)],
    [t('kpi.ctr'), fmt.pct(res.ctr)],
    [t('kpi.conversions'), fmt.int(res.conversions)],
    [t('kpi.creepy'), `${fmt.int(res.creepyExposures)} (${t('game.listenersN', { n: fmt.int(res.creepComplaints) })})`],
    [t('kpi.optOut'), fmt.pct(res.optOutRate)],
    [t('kpi.churned'), fmt.int(res.listeners.churned)],
    [t('kpi.harm'), fmt.int(res.harmedListeners)],
  ]);
  const byAd = dataTable(
    t('game.byAdCaption'),
    [t('game.campaign'), t('game.audience'), t('kpi.impressions'), t('kpi.reach'), t('kpi.clicks'), t('kpi.ctr'), t('kpi.conversions'), t('kpi.creepy'), t('kpi.revenue')],
    res.assignments.map((a) => [
      names.campaign(a.campaign),
      a.segment === 'everyone' ? t('game.everyone') : (res.decisions.segments.find((s) => s.id === a.segment)?.name ?? a.segment),
      fmt.int(a.impressions),
      fmt.int(a.reach),
      fmt.int(a.clicks),
      fmt.pct(a.impressions ? a.clicks / a.impressions : 0),
      fmt.int(a.conversions),
      fmt.int(a.creepyExposures),
      fmt.money(a.revenue),
    ]),
  );
  // The same numbers as the world's charts (Phaser draws them from the same series).
  const byRound = dataTable(
    t('world.chartRounds'),
    [t('final.round'), t('kpi.revenue'), t('kpi.profit'), t('kpi.trust')],
    roundSeries(game.results).map((p) => [t('world.roundN', { n: p.round }), fmt.money(p.revenue), fmt.money(p.profit), fmt.dec1(p.trust)]),
  );
  const cards = res.segments.length
    ? dataTable(
        t('game.reportCardCaption'),
        [t('game.segment'), t('criterion.substantial'), t('criterion.homogeneous'), t('criterion.heterogeneous'), t('criterion.operational')],
        res.segments.map((s) => [
          `${res.decisions.segments.find((x) => x.id === s.segment)?.name ?? s.segment} (${t('game.members', { count: s.members, n: fmt.int(s.members) })})`,
          `${gradeMark(s.substantial.grade)} ${t('reason.substantial', { share: fmt.pct(s.substantial.value) })}`,
          `${gradeMark(s.homogeneous.grade)} ${t('reason.homogeneous', { sd: s.homogeneous.value.toFixed(2) })}`,
          `${gradeMark(s.heterogeneous.grade)} ${t('reason.heterogeneous', { gap: s.heterogeneous.value.toFixed(2), campaign: names.campaign(s.campaign) })}`,
          `${gradeMark(s.operational.grade)} ${t('reason.operational', { share: fmt.pct(s.operational.value) })}`,
        ]),
      )
    : h('p', {}, t('game.noSegments'));
  const harms = res.harms.length
    ? h('ul', { class: 'harm-ledger' }, ...res.harms.map((x) => h('li', {}, t('game.harmLine', { n: fmt.int(x.listeners), campaign: names.campaign(x.campaign), harm: t(`harm.${x.tag}`) }))))
    : h('p', {}, t('game.noHarm'));
  const flags = res.flags.length ? h('ul', { class: 'flags' }, ...res.flags.map((f) => h('li', {}, t(`flag.${f}`)))) : h('p', {}, t('game.noFlags'));
  const element = h(
    'div',
    { class: 'phase phase--results' },
    h('p', { class: 'lead' }, roundSummary(ctx, res)),
    h('p', { class: 'help', id: CHART_NOTE_ID }, t('world.chartsNote')),
    kpis,
    byRound,
    scrollingTable(byAd),
    h('h3', {}, t('game.reportCard')),
    cards instanceof HTMLTableElement ? scrollingTable(cards) : cards,
    h('h3', {}, t('game.harmLedger')),
    harms,
    h('h3', {}, t('game.compliance')),
    flags,
  );
  return { element };
}

/** The most telling listener of the sample for "swap seats": someone who got ads and was read. */
function pickPersona(sample: ListenerTrace[]): ListenerTrace | undefined {
  const score = (x: ListenerTrace) => x.ads.reduce((a, ad) => a + ad.impressions + 5 * ad.creepy + 10 * ad.harms.length, 0) + x.inferred.length;
  return [...sample].sort((a, b) => score(b) - score(a) || a.index - b.index)[0];
}

function personaCard(ctx: PanelContext, p: ListenerTrace): HTMLElement {
  const { t, names, fmt } = ctx;
  const feeling = (ad: ListenerTrace['ads'][number]) => (ad.harms.length ? '😟' : ad.creepy > 0 ? '😬' : ad.clicks > 0 ? '🙂' : '😐');
  const feelingText = (ad: ListenerTrace['ads'][number]) => (ad.harms.length ? t('persona.harmed') : ad.creepy > 0 ? t('persona.creepy') : ad.clicks > 0 ? t('persona.liked') : t('persona.ignored'));
  return h(
    'section',
    { class: 'persona', 'aria-labelledby': 'persona-heading' },
    h('h3', { id: 'persona-heading' }, t('persona.heading', { n: p.index + 1 })),
    h('p', {}, t('persona.who', { age: names.value('age', p.truth.age ?? ''), region: names.value('region', p.truth.region ?? ''), mood: names.value('mood', p.truth.mood ?? '') })),
    h('h4', {}, t('persona.inferred')),
    p.inferred.length
      ? h('ul', {}, ...p.inferred.map((x) => h('li', {}, t('persona.inference', { signal: names.signal(x.signal), trait: names.trait(x.trait), value: names.value(x.trait, x.value), confidence: fmt.pct(x.confidence) }), ' ', x.correct ? t('persona.right') : t('persona.wrong'))))
      : h('p', {}, t('persona.nothingInferred')),
    h('h4', {}, t('persona.ads')),
    p.premium
      ? h('p', {}, t('persona.premium'))
      : p.ads.length
        ? h('ul', {}, ...p.ads.map((ad) => h('li', {}, h('span', { 'aria-hidden': 'true' }, `${feeling(ad)} `), t('persona.ad', { count: ad.impressions, campaign: names.campaign(ad.campaign) }), ` — ${feelingText(ad)}`)))
        : h('p', {}, t('persona.noAds')),
    h('p', {}, t('persona.trust', { before: fmt.dec1(p.trustBefore), after: fmt.dec1(p.trustAfter) }), p.churned ? ` ${t('persona.left')}` : p.optedOut ? ` ${t('persona.optedOut')}` : ''),
  );
}

export function debriefPanel(ctx: PanelContext): Panel {
  const { t, names } = ctx;
  const game = ctx.game();
  const r = game.results.length - 1;
  const res = game.results[r]!;
  const lesson = game.pack.pack.lesson;
  const lessonRound = lesson.rounds[r]!;
  const debriefs = applicableDebriefs(lesson, r, res);
  const sources = (ids: string[]) => ids.map((id) => lesson.sources.find((s) => s.id === id)).filter((s) => s !== undefined);
  const persona = pickPersona(game.lastSample);
  const answered = game.saved.rounds[r]?.quiz ?? [];
  const quizDone = lessonRound.quiz.length === 0 || answered.length === lessonRound.quiz.length;

  const questions = lessonRound.quiz.map((q, k) => {
    const name = `quiz-${r}-${k}`;
    const options = q.options.map((o, j) => {
      const id = `${name}-${j}`;
      return h('div', { class: 'choice' }, h('input', { type: 'radio', name, id, value: j, disabled: quizDone, checked: answered[k] === j }), h('label', { for: id }, names.text(o)));
    });
    const feedback = quizDone
      ? h('p', { class: answered[k] === q.answer ? 'feedback feedback--right' : 'feedback feedback--wrong' }, `${answered[k] === q.answer ? t('quiz.right') : t('quiz.wrong', { answer: names.text(q.options[q.answer]!) })} ${names.text(q.explanation)}`)
      : null;
    return h('fieldset', { class: 'question' }, h('legend', {}, names.text(q.question)), ...options, feedback);
  });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('quiz.submit'));
  const form = h('form', { class: 'quiz' }, ...questions, error, quizDone ? null : submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const answers = lessonRound.quiz.map((_, k) => form.querySelector<HTMLInputElement>(`input[name="quiz-${r}-${k}"]:checked`));
    if (answers.some((a) => !a)) {
      error.textContent = t('quiz.answerAll');
      return;
    }
    ctx.store.getState().answerQuiz(answers.map((a) => Number(a!.value)));
    const right = answers.filter((a, k) => Number(a!.value) === lessonRound.quiz[k]!.answer).length;
    ctx.announce(t('quiz.scoreAnnounce', { right, total: answers.length }));
  });

  const element = h(
    'div',
    { class: 'phase phase--debrief' },
    h(
      'section',
      { 'aria-labelledby': 'debrief-heading' },
      h('h3', { id: 'debrief-heading' }, t('game.whatHappened')),
      ...debriefs.map((d) =>
        h('div', { class: 'debrief' }, h('p', {}, names.text(d.text)), d.sources.length ? h('p', { class: 'source' }, `${t('game.source')}: ${sources(d.sources).map((s) => `${s!.title}, ${s!.publisher} (${s!.year})`).join('; ')}`) : null),
      ),
    ),
    persona ? personaCard(ctx, persona) : null,
    lessonRound.quiz.length ? h('section', { 'aria-labelledby': 'quiz-heading' }, h('h3', { id: 'quiz-heading' }, t('quiz.heading')), form) : null,
    res.events.length ? h('section', { class: 'headlines', 'aria-label': t('game.news') }, h('h3', {}, t('game.news')), ...res.events.map((e) => h('p', { class: 'headline' }, headline(ctx, e)))) : null,
  );
  return { element };
}

export function finalPanel(ctx: PanelContext, references: { name: string; score: number; profit: number; trust: number }[]): Panel {
  const { t, fmt } = ctx;
  const game = ctx.game();
  const results = game.results;
  const { total, components } = finalBreakdown(results.map((r) => r.score));
  const weights = results[0]!.score.weights;
  const breakdown = dataTable(
    t('final.breakdownCaption'),
    [t('final.component'), t('final.weight'), t('final.mark')],
    (Object.entries(components) as [ScoreComponent, number][]).map(([k, mark]) => [t(`component.${k}`), fmt.pct(weights[k]), fmt.pct(mark)]),
  );
  const perRound = dataTable(
    t('final.roundsCaption'),
    [t('final.round'), t('kpi.revenue'), t('kpi.profit'), t('kpi.trust'), t('kpi.harm'), t('final.score')],
    results.map((r, k) => [t('final.roundN', { n: k + 1 }), fmt.money(r.adRevenue), fmt.money(r.profit), fmt.dec1(r.trustIndex), fmt.int(r.harmedListeners), fmt.dec1(r.score.total)]),
  );
  const refTable = dataTable(
    t('final.referencesCaption'),
    [t('final.strategy'), t('kpi.profit'), t('kpi.trust'), t('final.score')],
    [[t('final.you'), fmt.money(results.reduce((a, r) => a + r.profit, 0)), fmt.dec1(results.at(-1)!.trustIndex), fmt.dec1(total)], ...references.map((x) => [x.name, fmt.money(x.profit), fmt.dec1(x.trust), fmt.dec1(x.score)])],
  );
  const element = h(
    'div',
    { class: 'phase phase--final' },
    h('p', { class: 'final-score', 'data-final-score': total.toFixed(1) }, t('final.score100', { score: fmt.dec1(total) })),
    h('p', { class: 'help', id: CHART_NOTE_ID }, t('world.chartsNoteFinal')),
    breakdown,
    scrollingTable(perRound),
    scrollingTable(refTable),
  );
  return { element };
}

export function roundSummary(ctx: PanelContext, res: RoundResult | undefined): string {
  return res ? ctx.t('game.resultsLead', { revenue: ctx.fmt.money(res.adRevenue), profit: ctx.fmt.money(res.profit), trust: ctx.fmt.dec1(res.trustIndex), score: ctx.fmt.dec1(res.score.total) }) : '';
}

