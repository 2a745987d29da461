/**
 * The DOM layer over the Phaser world: the title menu and the screens (forms, lists, reading
 * text). Follows the store's `screen`; moves focus to each new screen's heading.
 */
import type { I18n } from '../i18n';
import { sourceFromUrl } from '../packs/browserSources';
import { normalizeClassCode } from '../scores/classCode';
import type { AppStore, ScreenName } from '../store/appStore';
import { fill, h } from './dom';
import { renderClassScreen } from './classScreen';
import { renderGameScreen } from './game/gameScreen';
import { renderSetupScreen } from './game/setupScreen';
import { renderPacksScreen } from './packsScreen';

export function mountApp(stage: HTMLElement, store: AppStore, i18n: I18n): void {
  const t = i18n.t.bind(i18n);
  const playButton = h('button', { type: 'button', class: 'button button--primary button--big' });
  playButton.addEventListener('click', () => store.getState().go('setup'));
  const packsButton = h('button', { type: 'button', class: 'button' });
  packsButton.addEventListener('click', () => store.getState().go('packs'));
  const classButton = h('button', { type: 'button', class: 'button' });
  classButton.addEventListener('click', () => store.getState().go('classSetup'));
  const dashboardButton = h('button', { type: 'button', class: 'button' });
  dashboardButton.addEventListener('click', () => store.getState().go('dashboard'));
  const notice = h('div', { class: 'notice', role: 'alert' });
  // Students play; the instructor's tools sit in their own, quieter row.
  const teachLabel = h('span', { id: 'teach-label', class: 'title-menu__label' });
  const menu = h('nav', { class: 'title-menu' }, playButton, h('div', { class: 'title-menu__teach', role: 'group', 'aria-labelledby': 'teach-label' }, teachLabel, classButton, dashboardButton, packsButton));
  const panel = h('div', { class: 'screen-host', hidden: true });
  stage.append(menu, notice, panel);

  const labels = () => {
    menu.setAttribute('aria-label', t('menu.label'));
    playButton.textContent = t('menu.play');
    packsButton.textContent = t('menu.packs');
    classButton.textContent = t('menu.classSetup');
    teachLabel.textContent = t('menu.forInstructors');
    dashboardButton.textContent = t('dashboard.open');
    const n = store.getState().notice;
    if (!n) fill(notice);
    else {
      const ok = h('button', { type: 'button', class: 'button button--small' }, t('notice.ok'));
      ok.addEventListener('click', () => store.getState().dismissNotice());
      fill(notice, h('p', {}, t(`notice.${n.kind}`, { detail: n.detail })), ok);
    }
  };
  labels();
  i18n.on('languageChanged', labels);

  let shown: ScreenName | null = null;
  let cleanup: (() => void) | null = null;
  const show = (screen: ScreenName) => {
    if (screen === shown) return;
    const from = shown;
    shown = screen;
    cleanup?.();
    cleanup = null;
    fill(panel);
    menu.hidden = screen !== 'title';
    panel.hidden = screen === 'title';
    panel.classList.toggle('screen-host--game', screen === 'game');
    if (screen === 'packs') cleanup = renderPacksScreen(panel, store, i18n);
    else if (screen === 'setup') cleanup = renderSetupScreen(panel, store, i18n);
    else if (screen === 'game') cleanup = renderGameScreen(panel, store, i18n);
    else if (screen === 'classSetup') cleanup = renderClassScreen(panel, store, i18n);
    else if (from === 'packs') packsButton.focus();
    else if (screen === 'dashboard') cleanup = lazyScreen(panel, () => import('./dashboard/dashboardScreen').then((m) => () => m.renderDashboardScreen(panel, store, i18n)), t('app.loadFailed'));
    else if (from === 'classSetup') classButton.focus();
    else if (from === 'dashboard') dashboardButton.focus();
    else if (from) playButton.focus();
  };
  show(store.getState().screen);
  store.subscribe((state, prev) => {
    show(state.screen);
    if (state.notice !== prev.notice) labels();
  });
  const applySettings = () => {
    const { textScale, reducedMotion, palette } = store.getState().settings;
    document.documentElement.style.fontSize = `${textScale * 100}%`;
    document.documentElement.dataset.reducedMotion = String(reducedMotion);
    // Every screen follows the palette (the dashboard's charts and status chips too).
    document.documentElement.dataset.palette = palette;
  };
  applySettings();
  store.subscribe((state, prev) => {
    if (state.settings !== prev.settings) applySettings();
  });

  // A class link carries ?class=<code> (the setup screen reads it), and ?pack=<url> when the
  // class's pack is not built in. A pack link alone opens the pack screen.
  const params = new URLSearchParams(location.search);
  const packUrl = params.get('pack');
  const classCode = params.get('class');
  if (packUrl) void store.getState().addFromSource(packUrl, sourceFromUrl(packUrl, location.href));
  if (packUrl && !classCode) store.getState().go('packs');
  else
    void store
      .getState()
      .resumeSaved()
      .then(() => {
        // A saved game of the same class resumes; a new class starts at the setup screen.
        const saved = store.getState().game?.saved.classCode ?? null;
        if (classCode && (saved === null || normalizeClassCode(saved) !== normalizeClassCode(classCode))) store.getState().go('setup');
      });
}

/**
 * A screen whose module is loaded on first use (so the first download stays small). It is shown
 * only if the user is still there when the module arrives. Returns the clean-up.
 */
function lazyScreen(panel: HTMLElement, load: () => Promise<() => () => void>, failed: string): () => void {
  let left = false;
  let cleanup: (() => void) | null = null;
  load().then(
    (show) => {
      if (!left) cleanup = show();
    },
    () => {
      if (!left) fill(panel, h('p', { class: 'form-error', role: 'alert' }, failed));
    },
  );
  return () => {
    left = true;
    cleanup?.();
  };
}
