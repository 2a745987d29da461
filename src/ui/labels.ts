/**
 * Names shown to players for ids of the scenario: the pack's own label when it gives one, else the
 * game's name for a default id (i18n), else the id made readable.
 */
import type { I18n } from '../i18n';
import type { Pack } from '../packs/packSchema';
import type { LocalizedText } from '../packs/lessonSchema';
import { localize } from '../packs/text';

export interface Names {
  signal(id: string): string;
  campaign(id: string): string;
  consent(id: string): string;
  trait(id: string): string;
  value(trait: string, value: string): string;
  /** The pack's one-line description of a campaign or consent design, if any. */
  description(kind: 'campaign' | 'consent', id: string): string | null;
  /** Text of the pack in the current language. */
  text(text: LocalizedText): string;
}

const readable = (id: string) => id.replace(/_+/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function namesFor(pack: Pack, i18n: I18n): Names {
  const lang = () => i18n.language;
  const text = (t: LocalizedText) => localize(t, lang(), pack.locales);
  const pick = (label: LocalizedText | undefined, key: string, id: string) => {
    if (label) return text(label);
    return i18n.exists(key) ? i18n.t(key as never) : readable(id);
  };
  const sc = pack.scenario;
  return {
    signal: (id) => pick(sc.signals.find((s) => s.id === id)?.label, `signal.${id}`, id),
    campaign: (id) => pick(sc.campaigns.find((c) => c.id === id)?.label, `campaign.${id}`, id),
    consent: (id) => pick(sc.consentDesigns.find((d) => d.id === id)?.label, `consent.${id}`, id),
    trait: (id) => pick(sc.population.traits.find((t) => t.id === id)?.label, `trait.${id}`, id),
    value: (trait, value) =>
      pick(sc.population.traits.find((t) => t.id === trait)?.values.find((v) => v.id === value)?.label, `value.${value}`, value),
    description: (kind, id) => {
      const item = (kind === 'campaign' ? sc.campaigns : sc.consentDesigns).find((x) => x.id === id);
      if (item?.description) return text(item.description);
      const key = kind === 'consent' ? `consentHelp.${id}` : `campaignHelp.${id}`;
      return i18n.exists(key) ? i18n.t(key as never) : null;
    },
    text,
  };
}
