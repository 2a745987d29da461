/**
 * Lesson content of a pack: objectives, a briefing and conditional debriefs per round, quiz
 * questions, a glossary and sources. Every user-visible text is localizable.
 */
import { z } from 'zod';

// No runtime code generation: the page's Content-Security-Policy forbids eval, and zod's
// probe for it would be reported as a violation.
z.config({ jitless: true });

export const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'use a language code such as "en" or "es-MX"');

/** A user-visible text: one string (for every locale), or one string per locale. Never HTML. */
export const localizedText = z.union([z.string().min(1).max(20_000), z.record(locale, z.string().min(1).max(20_000))]);
export type LocalizedText = z.output<typeof localizedText>;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, "_" or "-"')
  .max(64);

/** Round results a debrief condition can test (see debrief.ts for how each is computed). */
export const DEBRIEF_METRICS = [
  'adRevenue',
  'profit',
  'dataCost',
  'fines',
  'churnLoss',
  'trustIndex',
  'trustChange',
  'creepyExposures',
  'creepComplaints',
  'optOutRate',
  'churned',
  'harmedListeners',
  'ctr',
  'reach',
  'conversions',
  'score',
  'signalsCollected',
  'segmentsTargeted',
] as const;

export const debriefCondition = z.union([
  z.strictObject({
    metric: z.enum(DEBRIEF_METRICS),
    op: z.enum(['<', '<=', '>', '>=']),
    value: z.number(),
  }),
  z.strictObject({ flag: z.enum(['invalidConsent', 'sensitiveWithoutExplicitConsent', 'sensitiveUnderInvalidConsent', 'minorsAgeRestricted', 'vulnerableTargeted', 'unusedData']) }),
  z.strictObject({ harm: z.enum(['vulnerableMoment', 'ageRestricted', 'exploitsVulnerability', 'sensitiveCategory']).describe('A campaign with this harm tag reached a listener it harms.') }),
  z.strictObject({ segmentFailed: z.enum(['substantial', 'homogeneous', 'heterogeneous', 'operational']).describe('A targeted segment failed this criterion.') }),
  z.strictObject({ event: z.enum(['pressExpose', 'regulatorFine', 'osPrivacyUpdate', 'dataBreach', 'advertiserBoycott']) }),
  z.strictObject({ signal: id.describe('This signal was collected.') }),
  z.strictObject({ consent: id.describe('This consent design was the round’s design.') }),
  z.strictObject({ campaign: id.describe('This campaign was served to a targeted segment.') }),
]);
export type DebriefCondition = z.output<typeof debriefCondition>;

const imageRef = z.strictObject({
  file: z.string().regex(/^images\/[A-Za-z0-9_-]+\.(png|jpe?g|webp|svg)$/, 'put images in the pack’s images/ folder: "images/name.png" (png, jpg, webp or svg)'),
  alt: localizedText.describe('What the image shows, for screen readers.'),
});

export const quizQuestion = z.strictObject({
  id,
  question: localizedText,
  options: z.array(localizedText).min(2).max(6),
  answer: z.number().int().min(0).describe('Index (0-based) of the right option.'),
  explanation: localizedText.describe('Shown after answering: why the right answer is right.'),
  objective: id.describe('The learning objective this question checks.'),
});

export const lessonRound = z.strictObject({
  title: localizedText,
  briefing: localizedText,
  image: imageRef.optional(),
  debriefs: z
    .array(
      z.strictObject({
        when: z.array(debriefCondition).max(8).default([]).describe('All must hold; an empty list always applies.'),
        text: localizedText,
        sources: z.array(id).max(8).default([]).describe('Ids of sources that back the facts in the text.'),
      }),
    )
    .min(1)
    .max(30),
  quiz: z.array(quizQuestion).max(10).default([]),
});

export const lessonSchema = z.strictObject({
  objectives: z.array(z.strictObject({ id, text: localizedText })).min(1).max(12),
  rounds: z.array(lessonRound).min(1).max(12).describe('One entry per scenario round, in the same order.'),
  glossary: z
    .array(z.strictObject({ term: localizedText, definition: localizedText }))
    .max(80)
    .default([]),
  sources: z
    .array(
      z.strictObject({
        id,
        title: z.string().min(1).max(400),
        publisher: z.string().min(1).max(200),
        year: z.number().int().min(1900).max(2100),
        url: z.url({ protocol: /^https?$/ }).optional(),
      }),
    )
    .max(60)
    .default([]),
});

export type Lesson = z.output<typeof lessonSchema>;
