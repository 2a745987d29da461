/**
 * Entry point. Sets up i18next and the accessible DOM shell (heading, tagline, language switcher,
 * status line) right away, then lazy-loads Phaser and the scenes in a separate chunk.
 */
import { LANGUAGES, createI18n, detectLanguage, isLanguage, type I18n, type Language } from './i18n';
import { createAppStore } from './store/appStore';
import { mountApp } from './ui/app';

declare global {
  interface Window {
    /** Set once the title screen's first frame is drawn (end-to-end tests wait for it). */
    __ttReady?: boolean;
  }
}

const LANGUAGE_STORAGE_KEY = 'tracks-and-targets.language';

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no element #${id}`);
  return element as T;
}

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policy): fall back to the browser's languages
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not fatal: the choice just won't survive a reload.
  }
}

function hasWebGL(): boolean {
  try {
    const probe = document.createElement('canvas');
    const gl = probe.getContext('webgl2') ?? probe.getContext('webgl');
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}

const ui = {
  title: byId('app-title'),
  tagline: byId('app-tagline'),
  languageLabel: byId('language-label'),
  languageButtons: byId('language-buttons'),
  world: byId('world'),
  stage: byId('stage'),
  status: byId('status'),
};

let worldCanvas: HTMLCanvasElement | null = null;
/** The canvas shows the title art, or the neighbourhood while a game is played. */
let worldLabelKey: 'world.label' | 'world.gameLabel' = 'world.label';
let statusKey: 'app.loading' | 'app.ready' | 'app.webglUnavailable' | 'app.loadFailed' = 'app.loading';

function setStatus(i18n: I18n, key: typeof statusKey): void {
  statusKey = key;
  ui.status.textContent = i18n.t(key);
  const failed = key === 'app.webglUnavailable' || key === 'app.loadFailed';
  ui.status.setAttribute('role', failed ? 'alert' : 'status');
  ui.status.classList.toggle('status--error', failed);
  ui.status.classList.toggle('visually-hidden', key === 'app.ready');
}

/** Writes every DOM text from the current language (also on a language change). */
function applyTexts(i18n: I18n): void {
  document.documentElement.lang = i18n.resolvedLanguage ?? i18n.language;
  document.title = i18n.t('app.title');
  ui.title.textContent = i18n.t('app.title');
  ui.tagline.textContent = i18n.t('app.tagline');
  ui.languageLabel.textContent = i18n.t('language.label');
  ui.status.textContent = i18n.t(statusKey);
  worldCanvas?.setAttribute('aria-label', i18n.t(worldLabelKey));
  for (const button of ui.languageButtons.querySelectorAll<HTMLButtonElement>('button[data-language]')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === i18n.language));
  }
}

function buildLanguageSwitcher(i18n: I18n): void {
  for (const language of LANGUAGES) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.language = language;
    button.lang = language;
    // Each language is named in itself, so a reader can always find their own.
    button.textContent = i18n.t(`language.${language}`, { lng: language });
    button.addEventListener('click', () => {
      if (!isLanguage(button.dataset.language) || button.dataset.language === i18n.language) return;
      storeLanguage(button.dataset.language);
      void i18n.changeLanguage(button.dataset.language);
    });
    ui.languageButtons.append(button);
  }
}

async function main(): Promise<void> {
  const language = detectLanguage({
    search: window.location.search,
    stored: readStoredLanguage(),
    preferred: navigator.languages,
  });
  const i18n = await createI18n(language);
  buildLanguageSwitcher(i18n);
  applyTexts(i18n);
  i18n.on('languageChanged', () => applyTexts(i18n));
  const store = createAppStore();
  store.subscribe((state, previous) => {
    if (state.screen === previous.screen) return;
    worldLabelKey = state.screen === 'game' ? 'world.gameLabel' : 'world.label';
    worldCanvas?.setAttribute('aria-label', i18n.t(worldLabelKey));
  });
  mountApp(ui.stage, store, i18n);

  if (!hasWebGL()) {
    setStatus(i18n, 'app.webglUnavailable');
    document.body.dataset.ttState = 'no-webgl';
    return;
  }

  try {
    const { startGame } = await import('./scenes/startGame');
    const game = startGame({
      parent: ui.world,
      i18n,
      store,
      onReady: ({ renderer }) => {
        worldCanvas = game.canvas;
        worldCanvas.setAttribute('role', 'img');
        worldCanvas.setAttribute('aria-label', i18n.t(worldLabelKey));
        setStatus(i18n, 'app.ready');
        document.body.dataset.renderer = renderer;
        document.body.dataset.ttReady = 'true';
        window.__ttReady = true;
      },
    });
  } catch (error) {
    setStatus(i18n, 'app.loadFailed');
    document.body.dataset.ttState = 'error';
    throw error;
  }
}

void main();
