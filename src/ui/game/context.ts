/** What every game panel needs: the store, translations, names and number formats. */
import type { I18n } from '../../i18n';
import type { AppStore } from '../../store/appStore';
import type { GameView } from '../../store/game';
import { formatsFor, type Formats } from '../format';
import { namesFor, type Names } from '../labels';

export interface PanelContext {
  store: AppStore;
  i18n: I18n;
  t: I18n['t'];
  names: Names;
  fmt: Formats;
  game: () => GameView;
  /** Speaks a message to screen readers (polite live region). */
  announce: (message: string) => void;
}

export interface Panel {
  element: HTMLElement;
  /** Refreshes live figures after a store change (never rebuilds form fields). */
  update?: (game: GameView) => void;
}

export function panelContext(store: AppStore, i18n: I18n, announce: (message: string) => void): PanelContext {
  const game = () => store.getState().game!;
  return {
    store,
    i18n,
    t: i18n.t.bind(i18n),
    names: namesFor(game().pack.pack, i18n),
    fmt: formatsFor(i18n.language),
    game,
    announce,
  };
}
