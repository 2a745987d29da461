/**
 * Lesson pack format v1: manifest and scenario. (Lesson content — briefings, debriefs, quizzes,
 * glossary, sources — is added by the lesson-pack format work.)
 */
import { z } from 'zod';
import { scenarioSchema } from './scenarioSchema';

export const PACK_FORMAT = 1;

const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'use a language code such as "en" or "es-MX"');

/** A user-visible text: one string, or one string per locale. */
export const localizedText = z.union([z.string().min(1).max(20_000), z.record(locale, z.string().min(1).max(20_000))]);

export const packSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(PACK_FORMAT).default(PACK_FORMAT),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-" (e.g. "tunestream-basics")')
    .max(64),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'use a semantic version such as "1.0.0"'),
  title: localizedText,
  summary: localizedText.optional(),
  locales: z.array(locale).min(1).default(['en']),
  scenario: scenarioSchema,
});

export type PackInput = z.input<typeof packSchema>;
export type Pack = z.output<typeof packSchema>;
