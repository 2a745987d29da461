/** Lesson pack format v1: manifest, scenario and lesson content, defined once here. */
import { z } from 'zod';
import { lessonSchema, locale, localizedText } from './lessonSchema';
import { scenarioSchema } from './scenarioSchema';

export const PACK_FORMAT = 1;

export const TOPICS = [
  'segmentation-positioning',
  'consumer-behaviour',
  'marketing-information-privacy',
  'promotion-advertising',
  'ethics-social-responsibility',
  'legal-environment',
] as const;

export const TEXTBOOKS = ['essentials-of-marketing', 'basic-marketing'] as const;

export const packSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(PACK_FORMAT).default(PACK_FORMAT),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-" (e.g. "tunestream-basics")')
    .max(64),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'use a semantic version such as "1.0.0"'),
  title: localizedText,
  summary: localizedText,
  authors: z
    .array(z.strictObject({ name: z.string().min(1).max(120), affiliation: z.string().max(200).optional(), url: z.url({ protocol: /^https?$/ }).optional() }))
    .min(1)
    .max(20),
  license: z.string().min(1).max(60).describe('An SPDX licence id, e.g. "CC-BY-4.0".'),
  locales: z.array(locale).min(1).max(10).describe('Every text must be given in each of these locales.'),
  topics: z.array(z.enum(TOPICS)).min(1),
  chapters: z
    .array(
      z.strictObject({
        textbook: z.enum(TEXTBOOKS),
        edition: z.string().min(1).max(20).describe('Edition, e.g. "17" (chapter numbers move between editions).'),
        chapter: z.number().int().min(1).max(40),
        topic: z.enum(TOPICS),
      }),
    )
    .min(1)
    .max(40),
  minutes: z.number().int().min(5).max(180).describe('Estimated playing time.'),
  difficulty: z.enum(['introductory', 'intermediate', 'advanced']),
  scenario: scenarioSchema,
  lesson: lessonSchema,
});

export type PackInput = z.input<typeof packSchema>;
export type Pack = z.output<typeof packSchema>;
