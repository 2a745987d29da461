import 'i18next';
import type en from './locales/en.json';

// Makes t('app.title') type-checked against the English locale.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    returnNull: false;
  }
}
