/**
 * Decisions of a round and plan files (a whole game's decisions), as JSON. Names are checked
 * against the scenario by the simulation (src/sim/decisions.ts); this schema checks the shape.
 */
import { z } from 'zod';

// No runtime code generation: the page's Content-Security-Policy forbids eval, and zod's
// probe for it would be reported as a violation.
z.config({ jitless: true });

const name = z.string().min(1).max(64);

export const conditionSchema = z.strictObject({
  trait: name.describe('An observed attribute, e.g. "mood".'),
  in: z.array(name).min(1).max(31).describe('Values that match, e.g. ["heartbreak"].'),
});

export const segmentSchema = z.strictObject({
  id: name.describe('Segment id, used by assignments ("everyone" is reserved for untargeted ads).'),
  name: z.string().max(80).optional().describe('A label for people.'),
  rule: z
    .strictObject({
      any: z
        .array(z.strictObject({ all: z.array(conditionSchema).min(1).max(8) }))
        .min(1)
        .max(8)
        .describe('OR of clauses; each clause is an AND of conditions on observed attributes.'),
    })
    .describe('Who is in the segment, e.g. {"any": [{"all": [{"trait": "mood", "in": ["heartbreak"]}]}]}.'),
});

export const assignmentSchema = z.strictObject({
  campaign: name,
  segment: name.describe('A segment id, or "everyone" for untargeted run-of-network.'),
  budget: z.number().int().min(0).describe('Impressions bought this round.'),
  cap: z.number().int().min(1).describe('Frequency cap: most impressions per listener per round.'),
});

export const decisionsSchema = z.strictObject({
  signals: z.array(name).max(32).optional().describe('Signals to collect this round.'),
  consent: name.optional().describe('Consent design for the round, e.g. "clear_opt_in", "bundled", "buried".'),
  consentBySignal: z.record(name, name).optional().describe('Consent design per signal, overriding "consent".'),
  segments: z.array(segmentSchema).max(32).optional(),
  assignments: z.array(assignmentSchema).max(64).optional().describe('Campaigns served to segments.'),
  quiz: z.array(z.number().int().min(0).max(20)).max(50).optional().describe('Chosen answer (0-based) per quiz question.'),
});

export const planSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().max(2000).optional(),
  rounds: z
    .array(decisionsSchema)
    .min(1)
    .max(12)
    .describe('Decisions per round. An area left out keeps the previous round’s choice; closed areas follow the pack.'),
});

export type Plan = z.output<typeof planSchema>;
