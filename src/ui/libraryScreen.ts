/** Shared wiring of the screens that list the pack library (pack screen, game setup). */
import type { I18n } from '../i18n';
import type { AppState, AppStore } from '../store/appStore';

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
