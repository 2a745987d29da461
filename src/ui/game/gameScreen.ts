/**
 * The game screen: top bar (round, phase stepper, settings), KPI strip, the decision panel of the
 * current phase (beside the Phaser world), and the headline ticker. The panel is rebuilt when the
 * phase or round changes and refreshed in place when only figures change, so focus stays put.
 */
import { playCue, setSoundEnabled } from '../../audio/cues';
import type { I18n } from '../../i18n';
import { scoreCsv, xapiStatements } from '../../scores/exports';
import { scoreFileName, scoreFileText } from '../../scores/scoreFile';
import type { AppState, AppStore } from '../../store/appStore';
import { currentDecisions, scoreFileFor, type GameView } from '../../store/game';
import { segmentStyle } from '../../scenes/worldLayout';
import { referenceOutcomes } from '../../store/references';
import type { Phase } from '../../store/session';
import { downloadText, fill, h } from '../dom';
import { panelContext, type Panel, type PanelContext } from './context';
import { briefingPanel, debriefPanel, finalPanel, headline, resultsPanel, roundSummary } from './outcome';
import { collectPanel, segmentPanel, servePanel } from './planning';

declare const __APP_VERSION__: string;

const STEPS: Phase[] = ['collect', 'segment', 'serve', 'results', 'debrief'];

export type ExportKind = 'json' | 'csv' | 'xapi';

/** Downloads the game so far as a score file, a one-row CSV or xAPI statements. */
export function exportScore(game: GameView, kind: ExportKind): void {
  const file = scoreFileFor(game, __APP_VERSION__, new Date().toISOString());
  const name = (extension: string) => scoreFileName(file.nickname, file.pack.id, file.exportedAt, extension);
  if (kind === 'json') downloadText(name('json'), scoreFileText(file), 'application/json');
  else if (kind === 'csv') downloadText(name('csv'), scoreCsv(file), 'text/csv');
  else downloadText(name('xapi.json'), `${JSON.stringify(xapiStatements(file, `${location.origin}${location.pathname}`), null, 2)}\n`, 'application/json');
}

export function renderGameScreen(root: HTMLElement, store: AppStore, i18n: I18n): () => void {
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status' });
  const announce = (message: string) => {
    announcer.textContent = '';
    setTimeout(() => (announcer.textContent = message), 50);
  };
  let ctx: PanelContext = panelContext(store, i18n, announce);
  const t = () => ctx.t;

  const roundLabel = h('p', { class: 'round-label' });
  const stepper = h('ol', { class: 'stepper' });
  const phaseNav = h('nav', {}, stepper);
  const settingsSummary = h('summary', {});
  const motion = h('input', { type: 'checkbox', id: 'setting-motion' });
  const motionLabel = h('label', { for: 'setting-motion' });
  const textSize = h('select', { id: 'setting-text' }, h('option', { value: '1' }), h('option', { value: '1.25' }), h('option', { value: '1.5' }));
  const textSizeLabel = h('label', { for: 'setting-text' });
  const sound = h('input', { type: 'checkbox', id: 'setting-sound' });
  const soundLabel = h('label', { for: 'setting-sound' });
  const palette = h('input', { type: 'checkbox', id: 'setting-palette' });
  const paletteLabel = h('label', { for: 'setting-palette' });
  const exportButtons = (['json', 'csv', 'xapi'] as const).map((kind) => {
    const button = h('button', { type: 'button', class: 'button button--small', 'data-export': kind });
    button.addEventListener('click', () => {
      const game = store.getState().game;
      if (game && game.results.length > 0) exportScore(game, kind);
    });
    return button;
  });
  const exportLabel = h('p', { id: 'export-label', class: 'export-label' });
  const exportGroup = h('div', { class: 'export-group', role: 'group', 'aria-labelledby': 'export-label' }, exportLabel, ...exportButtons);
  const quit = h('button', { type: 'button', class: 'button button--quiet button--small' });
  const settings = h('details', { class: 'settings' }, settingsSummary, h('div', { class: 'settings-body' }, h('p', { class: 'choice' }, motion, motionLabel), h('p', { class: 'choice' }, palette, paletteLabel), h('p', { class: 'choice' }, sound, soundLabel), h('p', { class: 'field' }, textSizeLabel, textSize), exportGroup, h('p', {}, quit)));
  const kpis = h('dl', { class: 'kpis' });
  const heading = h('h2', { id: 'phase-heading', tabindex: -1 });
  const body = h('div', { class: 'phase-body' });
  const back = h('button', { type: 'button', class: 'button' });
  const next = h('button', { type: 'button', class: 'button button--primary' });
  const nav = h('p', { class: 'phase-nav' }, back, next);
  const panel = h('section', { class: 'game-panel', 'aria-labelledby': 'phase-heading' }, heading, body, nav);
  const ticker = h('p', { class: 'ticker', 'aria-live': 'polite' });
  // Explains the segments' colours, letters and ring patterns drawn in the world (segmentStyle).
  const legendTitle = h('p', { class: 'segment-legend-title', id: 'segment-legend-title' });
  const legendList = h('ul', { 'aria-labelledby': 'segment-legend-title' });
  const legend = h('div', { class: 'segment-legend', hidden: true }, legendTitle, legendList);
  // The world scene fits the neighbourhood to this element (see WorldScene).
  const worldArea = h('div', { class: 'world-area', 'data-world-area': '' }, legend);
  const screen = h('div', { class: 'game' }, h('header', { class: 'game-bar' }, roundLabel, phaseNav, settings), kpis, worldArea, panel, ticker, announcer);
  fill(root, screen);

  motion.addEventListener('change', () => store.getState().setSettings({ reducedMotion: motion.checked }));
  textSize.addEventListener('change', () => store.getState().setSettings({ textScale: Number(textSize.value) }));
  sound.addEventListener('change', () => store.getState().setSettings({ sound: sound.checked }));
  palette.addEventListener('change', () => store.getState().setSettings({ palette: palette.checked ? 'colourBlind' : 'standard' }));
  quit.addEventListener('click', () => {
    if (confirm(t()('game.quitConfirm'))) store.getState().quitGame();
  });

  let current: Panel | null = null;
  let shownKey = '';
  let animationTimer: ReturnType<typeof setTimeout> | undefined;
  let dashboardReady = false;

  const go = (phase: Phase) => store.getState().setPhase(phase);

  const buildPanel = (game: GameView): Panel => {
    const phase = game.saved.phase;
    switch (phase) {
      case 'briefing':
        return briefingPanel(ctx);
      case 'collect':
        return collectPanel(ctx);
      case 'segment':
        return segmentPanel(ctx, () => rebuild(true));
      case 'serve':
        return servePanel(ctx);
      case 'results':
        return dashboardReady ? resultsPanel(ctx) : animationPanel();
      case 'debrief':
        return debriefPanel(ctx);
      case 'final': {
        const refs = referenceOutcomes(game.scenario, game.saved.seed, game.saved.listeners).map((r) => ({ ...r, name: ctx.t(`final.ref.${r.id}`) }));
        return finalPanel(ctx, refs);
      }
    }
  };

  /** While the world plays the round (about 5 s), a skip button; the dashboard follows. */
  const animationPanel = (): Panel => {
    const skip = h('button', { type: 'button', class: 'button' }, ctx.t('game.skipAnimation'));
    skip.addEventListener('click', () => {
      window.dispatchEvent(new CustomEvent('tt:skip-animation'));
      showDashboard();
    });
    return { element: h('div', { class: 'phase' }, h('p', { class: 'lead' }, ctx.t('game.playing')), skip) };
  };

  /** A bright arpeggio for a round that earned money without losing trust or harming anyone, else a falling one. */
  const resultsCue = () => {
    const res = store.getState().game?.results.at(-1);
    if (res) playCue(res.profit > 0 && res.trustIndex >= res.trustBefore && res.harmedListeners === 0 ? 'resultsGood' : 'resultsBad');
  };

  const showDashboard = () => {
    if (dashboardReady) return;
    clearTimeout(animationTimer);
    dashboardReady = true;
    renderFrame(store.getState());
    rebuild(true);
    const game = store.getState().game;
    const res = game?.results.at(-1);
    if (res) announce(roundSummary(ctx, res));
    resultsCue();
  };
  window.addEventListener('tt:animation-done', showDashboard);

  const rebuild = (keepFocus = false) => {
    const game = store.getState().game;
    if (!game) return;
    const focusedId = keepFocus ? (document.activeElement as HTMLElement | null)?.id : undefined;
    current = buildPanel(game);
    fill(body, current.element);
    if (focusedId) document.getElementById(focusedId)?.focus();
    else heading.focus();
  };

  const renderLegend = (game: GameView) => {
    const phase = game.saved.phase;
    const ids = phase === 'segment' || phase === 'serve' ? (game.preview?.segments.map((s) => s.id) ?? []) : [];
    legend.hidden = ids.length === 0;
    if (legend.hidden) return;
    const tr = ctx.t;
    const names = new Map(currentDecisions(game).segments.map((s) => [s.id, s.name ?? s.id]));
    legendTitle.textContent = tr('world.legend');
    fill(
      legendList,
      ...ids.map((id, k) => {
        const style = segmentStyle(k, store.getState().settings.palette);
        const chip = h('span', { class: 'legend-chip', 'aria-hidden': 'true' }, style.letter);
        // Set through the CSSOM: the Content-Security-Policy forbids style attributes.
        chip.style.backgroundColor = style.colour;
        chip.style.color = style.textColour;
        chip.style.outline = `3px ${style.pattern} ${style.colour}`;
        // The chip shows the letter; screen readers get it with the ring's pattern as text.
        return h('li', {}, chip, h('span', { class: 'visually-hidden' }, `${style.letter}: `), h('span', {}, names.get(id) ?? id), h('span', { class: 'visually-hidden' }, ` (${tr(`world.ring_${style.pattern}`)})`));
      }),
    );
  };

  const renderFrame = (state: AppState) => {
    const game = state.game;
    if (!game) return;
    const tr = ctx.t;
    setSoundEnabled(state.settings.sound);
    renderLegend(game);
    const phase = game.saved.phase;
    const total = game.scenario.rounds.length;
    const roundNo = Math.min(total, phase === 'results' || phase === 'debrief' ? game.results.length : game.results.length + 1);
    roundLabel.textContent = phase === 'final' ? tr('phase.final') : tr('game.roundOf', { n: roundNo, total });
    fill(stepper, ...STEPS.map((p) => h('li', { 'aria-current': p === phase ? 'step' : undefined, class: p === phase ? 'current' : '' }, tr(`phase.${p}`))));
    phaseNav.setAttribute('aria-label', tr('game.phases'));
    settingsSummary.textContent = tr('game.settings');
    motion.checked = state.settings.reducedMotion;
    motionLabel.textContent = tr('game.reducedMotion');
    textSizeLabel.textContent = tr('game.textSize');
    sound.checked = state.settings.sound;
    soundLabel.textContent = tr('game.sound');
    palette.checked = state.settings.palette === 'colourBlind';
    paletteLabel.textContent = tr('game.palette');
    [...textSize.options].forEach((o, k) => {
      o.textContent = tr(['game.textNormal', 'game.textLarge', 'game.textLarger'][k] as 'game.textNormal');
      o.selected = Number(o.value) === state.settings.textScale;
    });
    exportLabel.textContent = tr('game.exportHeading');
    exportButtons.forEach((b) => {
      b.textContent = tr(`game.export.${b.dataset.export as ExportKind}`);
      b.disabled = game.results.length === 0;
    });
    quit.textContent = tr('game.quit');
    const last = game.results.at(-1);
    // A div per figure (allowed in a dl): the strip wraps between figures, never inside one.
    const kpi = (label: string, value: string) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
    fill(
      kpis,
      kpi(tr('kpi.revenue'), last ? ctx.fmt.money(last.adRevenue) : '–'),
      kpi(tr('kpi.profit'), last ? ctx.fmt.money(last.profit) : '–'),
      kpi(tr('kpi.trust'), last ? ctx.fmt.dec1(last.trustIndex) : '–'),
      kpi(tr('kpi.optOut'), last ? ctx.fmt.pct(last.optOutRate) : '–'),
      kpi(tr('kpi.harm'), last ? ctx.fmt.int(last.harmedListeners) : '–'),
      kpi(tr('kpi.score'), last ? ctx.fmt.dec1(last.score.total) : '–'),
    );
    const events = (phase === 'debrief' || phase === 'final' ? last?.events : game.results.at(-2)?.events) ?? [];
    ticker.textContent = events.length ? events.map((e) => headline(ctx, e)).join('  ·  ') : tr('game.tickerQuiet');
    heading.textContent = tr(`phase.${phase}`);

    back.hidden = !['segment', 'serve', 'collect'].includes(phase);
    back.textContent = tr('game.back');
    next.hidden = phase === 'results' && !dashboardReady;
    const answered = (game.saved.rounds.at(-1)?.quiz ?? []).length;
    const quizCount = game.pack.pack.lesson.rounds[game.results.length - 1]?.quiz.length ?? 0;
    next.disabled = phase === 'debrief' && answered < quizCount;
    const labels: Record<Phase, string> = {
      briefing: tr('game.toCollect'),
      collect: tr('game.toSegment'),
      segment: tr('game.toServe'),
      serve: tr('game.play'),
      results: tr('game.toDebrief'),
      debrief: game.results.length >= total ? tr('game.toFinal') : tr('game.nextRound'),
      final: tr('game.exportScore'),
    };
    next.textContent = labels[phase];
  };

  back.addEventListener('click', () => {
    const phase = store.getState().game?.saved.phase;
    go(phase === 'serve' ? 'segment' : phase === 'segment' ? 'collect' : 'briefing');
  });
  next.addEventListener('click', () => {
    const state = store.getState();
    const game = state.game;
    if (!game) return;
    switch (game.saved.phase) {
      case 'briefing':
        return go('collect');
      case 'collect':
        return go('segment');
      case 'segment':
        return go('serve');
      case 'serve': {
        if (!game.preview) {
          announce(ctx.t('game.fixFirst'));
          return;
        }
        dashboardReady = state.settings.reducedMotion;
        state.playRound();
        if (!dashboardReady) animationTimer = setTimeout(showDashboard, 6000);
        else resultsCue();
        return;
      }
      case 'results':
        return go('debrief');
      case 'debrief':
        return state.nextRound();
      case 'final':
        return exportScore(game, 'json');
    }
  });

  const onState = (state: AppState) => {
    const game = state.game;
    if (!game) return;
    const key = `${game.saved.phase}:${game.results.length}:${game.saved.rounds.at(-1)?.quiz?.length ?? 0}`;
    renderFrame(state);
    if (key !== shownKey) {
      const phaseChanged = key.split(':')[0] !== shownKey.split(':')[0] || key.split(':')[1] !== shownKey.split(':')[1];
      shownKey = key;
      rebuild(!phaseChanged);
      if (phaseChanged && game.saved.phase === 'debrief' && (game.results.at(-1)?.events.length ?? 0) > 0) playCue('headline');
    } else current?.update?.(game);
  };

  const onLanguage = () => {
    ctx = panelContext(store, i18n, announce);
    shownKey = '';
    onState(store.getState());
  };
  i18n.on('languageChanged', onLanguage);
  // A game resumed on its results page shows the dashboard at once.
  dashboardReady = true;
  onState(store.getState());
  const unsubscribe = store.subscribe(onState);
  return () => {
    unsubscribe();
    setSoundEnabled(false);
    clearTimeout(animationTimer);
    window.removeEventListener('tt:animation-done', showDashboard);
    i18n.off('languageChanged', onLanguage);
  };
}
