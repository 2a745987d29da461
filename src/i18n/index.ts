/**
 * i18next set-up for the whole app. Pure: no DOM, no Phaser, so unit tests and node tools can
 * import it. Every user-visible string goes through the instance this module creates.
 */
import i18next, { type i18n as I18n } from 'i18next';
import en from './locales/en.json';
import es from './locales/es.json';

/** The English file is the reference; every other locale must have the same keys. */
export type Messages = typeof en;

/** Locales the game ships, in the order the language switcher lists them. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Resources per locale; `satisfies` makes a key missing from a locale a type error. */
export const MESSAGES = { en, es } satisfies Record<Language, Messages>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Where a language choice can come from, strongest first. */
export interface LanguageSources {
  /** The page's query string, e.g. "?lang=es" (an instructor's class link). */
  search?: string;
  /** The player's earlier choice, from local storage. */
  stored?: string | null;
  /** The browser's preferred languages (navigator.languages), e.g. ["es-MX", "en"]. */
  preferred?: readonly string[];
}

/** Picks the locale: ?lang=, then the stored choice, then the browser's preferences, then English. */
export function detectLanguage(sources: LanguageSources): Language {
  const fromQuery = new URLSearchParams(sources.search ?? '').get('lang')?.toLowerCase();
  if (isLanguage(fromQuery)) return fromQuery;
  if (isLanguage(sources.stored)) return sources.stored;
  for (const tag of sources.preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/** A fresh, initialised i18next instance (one per page; tests may make their own). */
export async function createI18n(language: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources: {
      en: { translation: MESSAGES.en },
      es: { translation: MESSAGES.es },
    },
    // Texts are set with textContent or drawn by Phaser, never parsed as HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export type { I18n };
