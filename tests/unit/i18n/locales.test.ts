import { describe, expect, it } from 'vitest';
import { LANGUAGES, MESSAGES } from '../../../src/i18n';

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

/** i18next plural keys (_one, _other…) differ by language; compare their base keys. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('locales', () => {
  const english = new Set(keys(MESSAGES.en).map(base));
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys of English', (language) => {
    const other = new Set(keys(MESSAGES[language]).map(base));
    expect([...english].filter((k) => !other.has(k))).toEqual([]);
    expect([...other].filter((k) => !english.has(k))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty text and keeps every {{placeholder}} of English', (language) => {
    const flat = (value: unknown, prefix = ''): [string, string][] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [[prefix, String(value)]];
    const en = new Map(flat(MESSAGES.en));
    for (const [key, text] of flat(MESSAGES[language])) {
      expect(text.trim(), key).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      const reference = en.get(key) ?? en.get(`${base(key)}_other`) ?? '';
      expect(placeholders(text), key).toEqual(placeholders(reference));
    }
  });
});
