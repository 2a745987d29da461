/** Shared wiring of the screens that list the pack library (pack screen, game setup). */
import type { I18n } from '../i18n';
import { localize } from '../packs/text';
import type { AppState, AppStore } from '../store/appStore';
import type { LibraryPack } from '../store/packLibrary';
import { fill, h } from './dom';

/**
 * Renders now, again on every relevant store change and language change, opens the library, and
 * focuses the screen's heading. Returns the clean-up.
 */
export function followLibrary(
  store: AppStore,
  i18n: I18n,
  heading: HTMLElement,
  render: (state: AppState) => void,
  relevant: (state: AppState, previous: AppState) => boolean = () => true,
): () => void {
  render(store.getState());
  const unsubscribe = store.subscribe((state, previous) => {
    if (relevant(state, previous)) render(state);
  });
  const onLanguage = () => render(store.getState());
  i18n.on('languageChanged', onLanguage);
  void store.getState().openLibrary();
  heading.focus();
  return () => {
    unsubscribe();
    i18n.off('languageChanged', onLanguage);
  };
}

/** All packs at hand: built-in first, then loaded ones. */
export function libraryPacks(state: AppState): LibraryPack[] {
  return [...state.library.builtIn, ...state.library.loaded];
}

/**
 * Fills `list` with one radio button per pack (title and `detail`), keeping the choice made so
 * far (else the first pack); a loading note until the library is ready.
 */
export function renderPackChoices(list: HTMLElement, name: string, state: AppState, i18n: I18n, detail: (p: LibraryPack) => string): void {
  if (state.library.status !== 'ready') {
    fill(list, h('p', {}, i18n.t('packs.libraryLoading')));
    return;
  }
  const checked = list.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
  fill(
    list,
    ...libraryPacks(state).map((p, k) => {
      const id = `${name}-${p.pack.id}`;
      const input = h('input', { type: 'radio', name, id, value: p.pack.id, checked: checked ? checked === p.pack.id : k === 0 });
      return h('div', { class: 'choice' }, input, h('label', { for: id }, h('strong', {}, localize(p.pack.title, i18n.language, p.pack.locales)), h('span', { class: 'help' }, detail(p))));
    }),
  );
}
