/**
 * The scenario part of the lesson-pack format: zod schema with every model parameter and its
 * documented default. Parsing a pack's scenario yields exactly the simulation's `Scenario`.
 */
import { z } from 'zod';
import type { Scenario } from '../sim';
import { listAllowed, nearestName } from '../sim';
import { localizedText } from './lessonSchema';
import { decisionsSchema } from './planSchema';

/** Optional names shown to players (else the game's own names for default ids, else the id). */
const shown = {
  label: localizedText.optional().describe('Name shown to players, e.g. {"en": "Stride running shoes", "es": "Zapatillas Stride"}.'),
  description: localizedText.optional().describe('One line shown under the name.'),
};
import {
  DEFAULT_ATTITUDES,
  DEFAULT_CAMPAIGNS,
  DEFAULT_CONSENT_DESIGNS,
  DEFAULT_OS,
  DEFAULT_SIGNALS,
  DEFAULT_TRAITS,
} from './scenarioDefaults';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_+-]*$/, 'use lower-case letters, digits, "_", "-" or "+" (e.g. "precise_location")')
  .max(64)
  .describe('Identifier: lower-case letters, digits, "_", "-", "+".');
const probability = z.number().min(0).max(1);
const share = z.number().min(0).max(1).describe('Share of the population, 0–1 (shares of a list are normalised).');
const sensitivity = z.number().int().min(0).max(3).describe('0 harmless … 3 special category (health, mood, money, minors, places).');
const money = z.number().min(0).max(1e6);
const trustPoints = z.number().min(-100).max(100);
const range = z.tuple([z.number(), z.number()]).describe('[pass, partial] thresholds.');

const traitValue = z.strictObject({
  id,
  label: shown.label,
  share,
  minor: z.boolean().optional().describe('Listeners with this value are minors.'),
});

const trait = z.strictObject({
  id,
  ...shown,
  values: z.array(traitValue).min(2).max(31),
  sensitivity,
  changeEachRound: probability.default(0).describe('Chance that a listener’s value is redrawn between rounds (moods change).'),
});

const population = z.strictObject({
  defaultListeners: z.number().int().min(100).max(1_000_000).default(10_000),
  maxListeners: z.number().int().min(100).max(1_000_000).default(1_000_000).describe('Cap on the listener count an instructor may choose.'),
  premiumShare: probability.default(0.4).describe('Share of listeners on the paid tier: they hear no ads but can still churn.'),
  os: z
    .array(z.strictObject({ id, share, promptOptIn: probability.describe('Share who allow a signal behind this OS’s permission prompt (4%–50% published for iOS).') }))
    .min(1)
    .max(8)
    .default(DEFAULT_OS),
  attitudes: z
    .array(
      z.strictObject({
        id,
        share,
        creepFactor: z.number().min(0).max(3).describe('How creepy a targeted ad feels to this group.'),
        trustMean: z.number().min(0).max(100),
        trustSpread: z.number().min(0).max(50),
        pressTrustHit: trustPoints.describe('Trust change when the press runs an exposé.'),
      }),
    )
    .min(1)
    .max(8)
    .default(DEFAULT_ATTITUDES)
    .describe('Privacy attitudes (Westin: fundamentalists, pragmatists, unconcerned).'),
  traits: z.array(trait).min(1).max(32).default(DEFAULT_TRAITS).describe('Hidden traits of every listener.'),
});

const signal = z.strictObject({
  id,
  ...shown,
  costPerThousand: money.describe('Cost per 1,000 covered listeners per round.'),
  sensitivity,
  legalBasis: z.enum(['contract', 'legitimate-interest', 'consent', 'explicit-consent']),
  gatedOn: z.array(id).default([]).describe('Operating systems that ask their own permission for this signal.'),
  reveals: z.array(z.strictObject({ trait: id, accuracy: probability })).min(1).max(32),
});

const consentDesign = z.strictObject({
  id,
  ...shown,
  coverage: z.record(id, probability).describe('Share of each attitude group that agrees, keyed by attitude id.'),
  covertness: z.number().min(0).max(3),
  validConsent: z.boolean(),
  explicit: z.boolean(),
  trustCostPerSensitivity: z.number().min(0).max(10).default(0),
});

const condition = { trait: id, in: z.array(id).min(1) };
const harmTag = z.enum(['vulnerableMoment', 'ageRestricted', 'exploitsVulnerability', 'sensitiveCategory']);

const campaign = z.strictObject({
  id,
  ...shown,
  cpm: money.describe('Price per 1,000 impressions before the precision premium.'),
  feePerConversion: money,
  demandPerThousand: z.number().min(0).max(100_000).default(1500).describe('Impressions the advertiser buys per round, per 1,000 listeners.'),
  relevance: z.strictObject({
    base: probability,
    terms: z.array(z.strictObject({ ...condition, add: z.number().min(-1).max(1) })).max(16, 'a campaign has at most 16 relevance terms').default([]),
  }),
  harms: z.array(z.strictObject({ ...condition, tag: harmTag, targetedOnly: z.boolean().default(false) })).default([]),
});

const market = z.strictObject({
  adSlotsPerListener: z.number().int().min(1).max(100).default(20),
  runOfNetworkCpm: money.default(6).describe('CPM of unsold slots (house ads), 0.6 × a typical CPM.'),
  precisionPremium: z.number().min(0).max(10).default(2.5).describe('Advertisers pay CPM × (1 + premium × mean true relevance).'),
  clickBase: probability.default(0.002),
  clickRelevanceGain: z.number().min(0).max(100).default(9),
  clickTrustOffset: z.number().min(0).max(2).default(0.5),
  clickCreepyFactor: probability.default(0.3),
  conversionBase: probability.default(0.05),
  conversionRelevanceGain: probability.default(0.25),
  premiumChurnCost: money.default(33).describe('Cost of a lost premium listener (a quarter of subscription).'),
  freeChurnRounds: z.number().min(0).max(100).default(3).describe('A lost free listener costs its ad revenue for this many rounds.'),
});

const response = z.strictObject({
  creepScale: z.number().min(0).max(5).default(0.6),
  creepRelevanceBase: probability.default(0.3),
  trustPerCreepy: trustPoints.default(-8),
  trustPerRelevant: trustPoints.default(0.5),
  relevantFrom: probability.default(0.5),
  trustGainCapPerRound: trustPoints.default(2),
  sensitiveFrom: sensitivity.default(2),
  optOutBelow: z.number().min(0).max(100).default(40),
  optOutScale: z.number().min(1).max(1000).default(40),
  churnBelow: z.number().min(0).max(100).default(25),
  churnScale: z.number().min(1).max(1000).default(50),
  errorMissingShare: probability.default(0.5),
});

const segmentCriteria = z.strictObject({
  substantialShare: range.default([0.03, 0.01]),
  homogeneousSd: range.default([0.12, 0.2]),
  heterogeneousGap: range.default([0.25, 0.1]),
  operationalPrecision: range.default([0.75, 0.5]),
  sampleListeners: z.number().int().min(1000).max(1_000_000).default(50_000).describe('Homogeneity, heterogeneity and operational grades are computed on at most this many listeners.'),
});

const eventMetric = z.enum([
  'invalidConsentSensitivity',
  'validConsentSensitivity',
  'heldSensitivity',
  'harmedShare',
  'creepyShare',
  'minorsAgeRestricted',
  'sensitiveUnderInvalidConsent',
  'signalsCollected',
]);
const chance = z.strictObject({
  base: probability,
  per: z.partialRecord(eventMetric, z.number().min(-10).max(10)).default({}),
  max: probability.default(0.9),
});
const effects = [
  z.strictObject({ type: z.literal('pressExpose') }),
  z.strictObject({ type: z.literal('regulatorFine') }),
  z.strictObject({ type: z.literal('osPrivacyUpdate'), signal: id, os: id }),
  z.strictObject({ type: z.literal('dataBreach') }),
  z.strictObject({ type: z.literal('advertiserBoycott') }),
] as const;
const eventEffect = z.discriminatedUnion('type', effects);
const randomEvent = z.discriminatedUnion(
  'type',
  effects.map((e) => e.extend({ chance })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<'pressExpose'>; chance: typeof chance }, z.core.$strict>,
    z.ZodObject<{ type: z.ZodLiteral<'regulatorFine'>; chance: typeof chance }, z.core.$strict>,
    z.ZodObject<{ type: z.ZodLiteral<'osPrivacyUpdate'>; signal: typeof id; os: typeof id; chance: typeof chance }, z.core.$strict>,
    z.ZodObject<{ type: z.ZodLiteral<'dataBreach'>; chance: typeof chance }, z.core.$strict>,
    z.ZodObject<{ type: z.ZodLiteral<'advertiserBoycott'>; chance: typeof chance }, z.core.$strict>,
  ],
);

export const DEFAULT_RANDOM_EVENTS: z.input<typeof randomEvent>[] = [
  { type: 'pressExpose', chance: { base: 0.05, per: { invalidConsentSensitivity: 0.04, validConsentSensitivity: 0.01, harmedShare: 2, creepyShare: 0.5 }, max: 0.9 } },
  { type: 'regulatorFine', chance: { base: 0.02, per: { sensitiveUnderInvalidConsent: 0.3, minorsAgeRestricted: 0.3, invalidConsentSensitivity: 0.01 }, max: 0.9 } },
  { type: 'dataBreach', chance: { base: 0.01, per: { heldSensitivity: 0.01 }, max: 0.5 } },
  { type: 'advertiserBoycott', chance: { base: 0, per: { harmedShare: 3, creepyShare: 0.3 }, max: 0.6 } },
  { type: 'osPrivacyUpdate', signal: 'motion_sensors', os: 'android', chance: { base: 0.05, per: { signalsCollected: 0.01 }, max: 0.3 } },
];

const events = z.strictObject({
  random: z.array(randomEvent).max(20).prefault(DEFAULT_RANDOM_EVENTS),
  fineShareOfAnnualRevenue: probability.default(0.04).describe('GDPR caps fines at 4% of annual turnover.'),
  minimumFinePerThousand: money.default(100),
  roundsPerYear: z.number().int().min(1).max(52).default(4),
  breachCostPerRecord: money.default(0.5),
  breachTrustHit: trustPoints.default(-6),
  boycottCpmFactor: probability.default(0.75),
  boycottRounds: z.number().int().min(1).max(10).default(1),
});

const scoreComponent = z.enum(['profit', 'trust', 'compliance', 'segments', 'quiz']);
const flag = z.enum(['invalidConsent', 'sensitiveWithoutExplicitConsent', 'sensitiveUnderInvalidConsent', 'minorsAgeRestricted', 'vulnerableTargeted', 'unusedData']);
const weights = z.strictObject({
  profit: z.number().min(0).max(1).default(0.3),
  trust: z.number().min(0).max(1).default(0.2),
  compliance: z.number().min(0).max(1).default(0.25),
  segments: z.number().min(0).max(1).default(0.15),
  quiz: z.number().min(0).max(1).default(0.1),
});

const scoring = z.strictObject({
  weights: weights.prefault({}),
  weightRanges: z
    .partialRecord(scoreComponent, z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]))
    .default({ profit: [0.1, 0.6], trust: [0.1, 0.4], compliance: [0.1, 0.4], segments: [0, 0.3], quiz: [0, 0.3] })
    .describe('The [min, max] an instructor may set each weight to.'),
  profitFullPerThousand: z.number().min(0.01).max(1e6).default(250).describe('Round profit per 1,000 listeners that earns full marks.'),
  trustZero: z.number().min(0).max(100).default(30),
  trustFull: z.number().min(0).max(100).default(75),
  flagPenalty: z
    .strictObject(Object.fromEntries(flag.options.map((f) => [f, probability])) as Record<z.infer<typeof flag>, typeof probability>)
    .default({
      invalidConsent: 0.3,
      sensitiveWithoutExplicitConsent: 0.2,
      sensitiveUnderInvalidConsent: 0.2,
      minorsAgeRestricted: 0.4,
      vulnerableTargeted: 0.3,
      unusedData: 0.05,
    }),
  harmPenaltyPerShare: z.number().min(0).max(100).default(5),
  noSegmentsScore: probability.default(0.25).describe('Segment-quality mark for a round that targets no segment.'),
});

const decisionsDefaults = decisionsSchema.omit({ quiz: true });

const round = z.strictObject({
  id,
  open: z
    .strictObject({ signals: z.boolean().default(true), consent: z.boolean().default(true), segments: z.boolean().default(true), campaigns: z.boolean().default(true) })
    .prefault({})
    .describe('Which decisions the player makes this round.'),
  defaults: decisionsDefaults.default({}).describe('Decisions used for closed areas (else the previous round’s carry over).'),
  signals: z.array(id).optional().describe('Signals on offer this round (all when absent).'),
  campaigns: z.array(id).optional().describe('Campaigns on offer this round (all when absent).'),
  scheduledEvents: z.array(eventEffect).default([]).describe('Events that happen at the end of this round whatever the player does.'),
});

export const scenarioSchema = z
  .strictObject({
    population: population.prefault({}),
    signals: z.array(signal).min(1).max(32).default(DEFAULT_SIGNALS),
    consentDesigns: z.array(consentDesign).min(1).max(7).default(DEFAULT_CONSENT_DESIGNS),
    campaigns: z.array(campaign).min(1).max(40).default(DEFAULT_CAMPAIGNS),
    market: market.prefault({}),
    response: response.prefault({}),
    segmentCriteria: segmentCriteria.prefault({}),
    events: events.prefault({}),
    scoring: scoring.prefault({}),
    maxSegments: z.number().int().min(1).max(32).default(8),
    rounds: z.array(round).min(1).max(12),
  })
  .superRefine(checkReferences);

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;

type Ctx = z.RefinementCtx;

function refTo(ctx: Ctx, path: (string | number)[], what: string, name: string, allowed: string[]) {
  if (allowed.includes(name)) return;
  const near = nearestName(name, allowed);
  ctx.addIssue({ code: 'custom', path, message: `unknown ${what} "${name}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${listAllowed(allowed)}` });
}

function uniqueIds(ctx: Ctx, path: (string | number)[], items: { id: string }[], what: string) {
  const seen = new Set<string>();
  items.forEach((x, k) => {
    if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [...path, k, 'id'], message: `${what} id "${x.id}" is used twice; ids must be unique` });
    seen.add(x.id);
  });
}

/** Cross-references that a schema alone cannot express. */
function checkReferences(s: Omit<ParsedScenario, never>, ctx: Ctx): void {
  const traits = s.population.traits;
  const traitIds = traits.map((t) => t.id);
  const osIds = s.population.os.map((o) => o.id);
  const attitudeIds = s.population.attitudes.map((a) => a.id);
  const signalIds = s.signals.map((x) => x.id);
  const campaignIds = s.campaigns.map((x) => x.id);
  uniqueIds(ctx, ['population', 'traits'], traits, 'trait');
  uniqueIds(ctx, ['population', 'os'], s.population.os, 'OS');
  uniqueIds(ctx, ['population', 'attitudes'], s.population.attitudes, 'attitude');
  uniqueIds(ctx, ['signals'], s.signals, 'signal');
  uniqueIds(ctx, ['consentDesigns'], s.consentDesigns, 'consent design');
  uniqueIds(ctx, ['campaigns'], s.campaigns, 'campaign');
  uniqueIds(ctx, ['rounds'], s.rounds, 'round');
  traits.forEach((t, k) => uniqueIds(ctx, ['population', 'traits', k, 'values'], t.values, `value of trait "${t.id}"`));

  const checkCondition = (path: (string | number)[], cond: { trait: string; in: string[] }) => {
    const t = traits.find((x) => x.id === cond.trait);
    if (!t) return refTo(ctx, [...path, 'trait'], 'trait', cond.trait, traitIds);
    const values = t.values.map((v) => v.id);
    cond.in.forEach((v, k) => refTo(ctx, [...path, 'in', k], `value of trait "${t.id}"`, v, values));
  };
  s.signals.forEach((sig, k) => {
    sig.gatedOn.forEach((os, j) => refTo(ctx, ['signals', k, 'gatedOn', j], 'OS', os, osIds));
    sig.reveals.forEach((r, j) => refTo(ctx, ['signals', k, 'reveals', j, 'trait'], 'trait', r.trait, traitIds));
  });
  s.consentDesigns.forEach((d, k) => {
    for (const a of Object.keys(d.coverage)) refTo(ctx, ['consentDesigns', k, 'coverage', a], 'attitude', a, attitudeIds);
    for (const a of attitudeIds)
      if (!(a in d.coverage)) ctx.addIssue({ code: 'custom', path: ['consentDesigns', k, 'coverage'], message: `missing coverage for attitude "${a}"; give a share 0–1 for each of ${listAllowed(attitudeIds)}` });
  });
  s.campaigns.forEach((c, k) => {
    c.relevance.terms.forEach((t, j) => checkCondition(['campaigns', k, 'relevance', 'terms', j], t));
    c.harms.forEach((h, j) => checkCondition(['campaigns', k, 'harms', j], h));
  });
  const checkEvent = (path: (string | number)[], e: { type: string; signal?: string; os?: string }) => {
    if (e.type !== 'osPrivacyUpdate') return;
    refTo(ctx, [...path, 'signal'], 'signal', e.signal!, signalIds);
    refTo(ctx, [...path, 'os'], 'OS', e.os!, osIds);
  };
  s.events.random.forEach((e, k) => checkEvent(['events', 'random', k], e));
  const designIds = s.consentDesigns.map((d) => d.id);
  s.rounds.forEach((r, k) => {
    r.signals?.forEach((x, j) => refTo(ctx, ['rounds', k, 'signals', j], 'signal', x, signalIds));
    r.campaigns?.forEach((x, j) => refTo(ctx, ['rounds', k, 'campaigns', j], 'campaign', x, campaignIds));
    r.scheduledEvents.forEach((e, j) => checkEvent(['rounds', k, 'scheduledEvents', j], e));
    r.defaults.signals?.forEach((x, j) => refTo(ctx, ['rounds', k, 'defaults', 'signals', j], 'signal', x, signalIds));
    if (r.defaults.consent !== undefined) refTo(ctx, ['rounds', k, 'defaults', 'consent'], 'consent design', r.defaults.consent, designIds);
  });
  for (const [k, [lo, hi]] of Object.entries(s.scoring.weightRanges)) {
    const w = s.scoring.weights[k as keyof typeof s.scoring.weights];
    if (lo! > hi!) ctx.addIssue({ code: 'custom', path: ['scoring', 'weightRanges', k], message: `range [${lo}, ${hi}] is reversed; write [min, max]` });
    else if (w < lo! || w > hi!) ctx.addIssue({ code: 'custom', path: ['scoring', 'weights', k], message: `weight ${w} is outside its allowed range [${lo}, ${hi}]` });
  }
  if (s.population.defaultListeners > s.population.maxListeners)
    ctx.addIssue({ code: 'custom', path: ['population', 'defaultListeners'], message: `must not exceed maxListeners (${s.population.maxListeners})` });
  for (const [path, list] of [
    [['population', 'os'], s.population.os],
    [['population', 'attitudes'], s.population.attitudes],
    ...traits.map((t, k) => [['population', 'traits', k, 'values'], t.values] as const),
  ] as const)
    if (list.reduce((a, x) => a + x.share, 0) <= 0) ctx.addIssue({ code: 'custom', path: [...path], message: 'shares add up to 0; give at least one positive share' });
}

/** The simulation's Scenario from a parsed pack scenario and the quiz answer keys per round. */
export function toScenario(parsed: ParsedScenario, quizKeys: number[][] = []): Scenario {
  const { scoring, rounds, ...rest } = parsed;
  return {
    ...rest,
    scoring: { ...scoring },
    rounds: rounds.map((r, k) => ({ ...r, quizKey: quizKeys[k] ?? [] })),
  };
}
