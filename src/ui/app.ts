/**
 * The DOM layer over the Phaser world: the title menu and the screens (forms, lists, reading
 * text). Follows the store's `screen`; moves focus to each new screen's heading.
 */
import type { I18n } from '../i18n';
import { sourceFromUrl } from '../packs/browserSources';
import type { AppStore, ScreenName } from '../store/appStore';
import { fill, h } from './dom';
import { renderPacksScreen } from './packsScreen';

export function mountApp(stage: HTMLElement, store: AppStore, i18n: I18n): void {
  const t = i18n.t.bind(i18n);
  const packsButton = h('button', { type: 'button', class: 'button button--primary' });
  packsButton.addEventListener('click', () => store.getState().go('packs'));
  const menu = h('nav', { class: 'title-menu' }, packsButton);
  const panel = h('div', { class: 'screen-host', hidden: true });
  stage.append(menu, panel);

  const labels = () => {
    menu.setAttribute('aria-label', t('menu.label'));
    packsButton.textContent = t('menu.packs');
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
    if (screen === 'packs') cleanup = renderPacksScreen(panel, store, i18n);
    else if (from === 'packs') packsButton.focus();
  };
  show(store.getState().screen);
  store.subscribe((state) => show(state.screen));

  // A class link may name a pack: ?pack=<url> opens the pack screen and loads it.
  const packUrl = new URLSearchParams(location.search).get('pack');
  if (packUrl) {
    store.getState().go('packs');
    void store.getState().addFromSource(packUrl, sourceFromUrl(packUrl, location.href));
  }
}
