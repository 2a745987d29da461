/** Picking the right locale of a localizable pack text. */
import type { LocalizedText } from './lessonSchema';

/** The text in `locale`, else the pack's first locale, else any; plain strings serve every locale. */
export function localize(text: LocalizedText, locale: string, packLocales: readonly string[] = []): string {
  if (typeof text === 'string') return text;
  const base = locale.split('-')[0]!;
  return text[locale] ?? text[base] ?? (packLocales[0] !== undefined ? text[packLocales[0]] : undefined) ?? Object.values(text)[0] ?? '';
}

/** Every localizable text of a pack with its JSON path (for completeness checks and translation tools). */
type Shown = { id: string; label?: LocalizedText | undefined; description?: LocalizedText | undefined };

export function* packTexts(pack: {
  title: LocalizedText;
  summary: LocalizedText;
  scenario: {
    signals: Shown[];
    campaigns: Shown[];
    consentDesigns: Shown[];
    population: { traits: (Shown & { values: Shown[] })[] };
  };
  lesson: {
    objectives: { text: LocalizedText }[];
    rounds: {
      title: LocalizedText;
      briefing: LocalizedText;
      image?: { alt: LocalizedText } | undefined;
      debriefs: { text: LocalizedText }[];
      quiz: { question: LocalizedText; options: LocalizedText[]; explanation: LocalizedText }[];
    }[];
    glossary: { term: LocalizedText; definition: LocalizedText }[];
  };
}): Generator<[path: (string | number)[], text: LocalizedText]> {
  yield [['title'], pack.title];
  yield [['summary'], pack.summary];
  const sc = pack.scenario;
  const lists: [(string | number)[], Shown[]][] = [
    [['scenario', 'signals'], sc.signals],
    [['scenario', 'campaigns'], sc.campaigns],
    [['scenario', 'consentDesigns'], sc.consentDesigns],
    [['scenario', 'population', 'traits'], sc.population.traits],
    ...sc.population.traits.map((t, k) => [['scenario', 'population', 'traits', k, 'values'], t.values] as [(string | number)[], Shown[]]),
  ];
  for (const [path, items] of lists)
    for (const [k, item] of items.entries()) {
      if (item.label) yield [[...path, k, 'label'], item.label];
      if (item.description) yield [[...path, k, 'description'], item.description];
    }
  const l = pack.lesson;
  for (const [k, o] of l.objectives.entries()) yield [['lesson', 'objectives', k, 'text'], o.text];
  for (const [r, round] of l.rounds.entries()) {
    const at = ['lesson', 'rounds', r];
    yield [[...at, 'title'], round.title];
    yield [[...at, 'briefing'], round.briefing];
    if (round.image) yield [[...at, 'image', 'alt'], round.image.alt];
    for (const [k, d] of round.debriefs.entries()) yield [[...at, 'debriefs', k, 'text'], d.text];
    for (const [q, quiz] of round.quiz.entries()) {
      yield [[...at, 'quiz', q, 'question'], quiz.question];
      for (const [o, option] of quiz.options.entries()) yield [[...at, 'quiz', q, 'options', o], option];
      yield [[...at, 'quiz', q, 'explanation'], quiz.explanation];
    }
  }
  for (const [k, g] of l.glossary.entries()) {
    yield [['lesson', 'glossary', k, 'term'], g.term];
    yield [['lesson', 'glossary', k, 'definition'], g.definition];
  }
}
