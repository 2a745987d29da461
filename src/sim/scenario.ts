/**
 * The scenario: every parameter the simulation uses. It is the simulation's input contract;
 * src/packs validates pack files against a zod schema typed to this interface and fills in the
 * documented defaults, so nothing here is a magic number inside the model.
 */

export type Id = string;

/** A value of a hidden trait and its share of the population. */
export interface TraitValue {
  id: Id;
  share: number;
  /** Listeners with this value are minors (age-restricted ads are harmful to them). */
  minor?: boolean;
}

/** A hidden trait of every listener (age band, region, genre, mood, …). */
export interface Trait {
  id: Id;
  values: TraitValue[];
  /** 0 (harmless) … 3 (special category: health, mental state, finances, minors, places). */
  sensitivity: number;
  /** Probability that a listener's value is redrawn between rounds (moods change; age does not). */
  changeEachRound: number;
}

export interface OperatingSystem {
  id: Id;
  share: number;
  /** Share of listeners who allow a signal behind this OS's own permission prompt. */
  promptOptIn: number;
}

export interface Attitude {
  id: Id;
  share: number;
  /** How strongly a targeted exposure feels creepy to this group (Westin: 1.0 / 0.6 / 0.15). */
  creepFactor: number;
  /** Starting trust is uniform-ish around mean ± spread. */
  trustMean: number;
  trustSpread: number;
  /** Trust change when the press runs an exposé. */
  pressTrustHit: number;
}

export interface Population {
  defaultListeners: number;
  maxListeners: number;
  /** Share of listeners on the paid tier (they hear no ads but can still churn). */
  premiumShare: number;
  os: OperatingSystem[];
  attitudes: Attitude[];
  traits: Trait[];
}

export type LegalBasis = 'contract' | 'legitimate-interest' | 'consent' | 'explicit-consent';

export interface Reveal {
  trait: Id;
  /**
   * Probability that a covered listener's reading of the trait is right. Wrong readings are
   * missing (a share set by response.errorMissingShare) or another value, chosen evenly.
   */
  accuracy: number;
}

export interface Signal {
  id: Id;
  /** Cost per 1,000 covered listeners per round. */
  costPerThousand: number;
  sensitivity: number;
  legalBasis: LegalBasis;
  /** Operating systems that put this signal behind their own permission prompt. */
  gatedOn: Id[];
  reveals: Reveal[];
}

export interface ConsentDesign {
  id: Id;
  /** Share of each attitude group that agrees (keyed by attitude id). */
  coverage: Record<Id, number>;
  /** Multiplies creepiness: the more hidden the ask, the creepier the ad feels. */
  covertness: number;
  /** Whether regulators accept this as consent (pre-ticked boxes are not). */
  validConsent: boolean;
  /** Whether it counts as explicit consent (needed for special-category data). */
  explicit: boolean;
  /** Trust lost each round by a covered listener, per point of sensitivity of sensitive signals collected this way. */
  trustCostPerSensitivity: number;
}

export type HarmTag = 'vulnerableMoment' | 'ageRestricted' | 'exploitsVulnerability' | 'sensitiveCategory';

/** A condition on a trait's value. Used by relevance terms, harm rules and segment rules. */
export interface TraitCondition {
  trait: Id;
  in: Id[];
}

export interface RelevanceTerm extends TraitCondition {
  add: number;
}

export interface HarmRule extends TraitCondition {
  tag: HarmTag;
  /** Only harmful when the ad reached the listener through a targeted segment. */
  targetedOnly: boolean;
}

export interface Campaign {
  id: Id;
  cpm: number;
  feePerConversion: number;
  /** Impressions the advertiser buys per round, per 1,000 listeners (its budget). */
  demandPerThousand: number;
  relevance: { base: number; terms: RelevanceTerm[] };
  harms: HarmRule[];
}

export interface ChanceFormula {
  base: number;
  /** Coefficients on round metrics (see EVENT_METRICS in events.ts). */
  per: Partial<Record<EventMetric, number>>;
  max: number;
}

export type EventMetric =
  | 'invalidConsentSensitivity'
  | 'validConsentSensitivity'
  | 'heldSensitivity'
  | 'harmedShare'
  | 'creepyShare'
  | 'minorsAgeRestricted'
  | 'sensitiveUnderInvalidConsent'
  | 'signalsCollected';

export type EventEffect =
  | { type: 'pressExpose' }
  | { type: 'regulatorFine' }
  | { type: 'osPrivacyUpdate'; signal: Id; os: Id }
  | { type: 'dataBreach' }
  | { type: 'advertiserBoycott' };

export type EventType = EventEffect['type'];

export type RandomEvent = EventEffect & { chance: ChanceFormula };

export interface EventSettings {
  random: RandomEvent[];
  /** Regulator fine: share of annual ad revenue, with a floor per 1,000 listeners. */
  fineShareOfAnnualRevenue: number;
  minimumFinePerThousand: number;
  roundsPerYear: number;
  /** Data breach: cost per held record, weighted by the signal's sensitivity ÷ 3. */
  breachCostPerRecord: number;
  breachTrustHit: number;
  /** Advertiser boycott: factor on every campaign's CPM for the following rounds. */
  boycottCpmFactor: number;
  boycottRounds: number;
}

export interface MarketSettings {
  adSlotsPerListener: number;
  /** CPM of unsold slots (run-of-network house ads). */
  runOfNetworkCpm: number;
  /** Advertisers pay CPM × (1 + precisionPremium × mean true relevance of the audience). */
  precisionPremium: number;
  clickBase: number;
  clickRelevanceGain: number;
  /** Click rate × (trustOffset + trust/100). */
  clickTrustOffset: number;
  clickCreepyFactor: number;
  conversionBase: number;
  conversionRelevanceGain: number;
  /** A lost premium listener costs this much (a quarter of subscription). */
  premiumChurnCost: number;
  /** A lost free listener costs its ad revenue for this many rounds. */
  freeChurnRounds: number;
}

export interface ResponseSettings {
  creepScale: number;
  /** Creepiness × (creepRelevanceBase + (1 − creepRelevanceBase) × relevance): spot-on is creepier. */
  creepRelevanceBase: number;
  trustPerCreepy: number;
  trustPerRelevant: number;
  relevantFrom: number;
  trustGainCapPerRound: number;
  /** Signals at or above this sensitivity count as sensitive. */
  sensitiveFrom: number;
  optOutBelow: number;
  optOutScale: number;
  churnBelow: number;
  churnScale: number;
  /** Share of wrong readings that come back empty rather than as a wrong value. */
  errorMissingShare: number;
}

export interface SegmentCriteria {
  /** Pass / partial thresholds. Substantial: share of reachable listeners in the segment. */
  substantialShare: [number, number];
  /** Homogeneous within: standard deviation of true relevance at most. */
  homogeneousSd: [number, number];
  /** Heterogeneous between: gap in mean true relevance to everyone else at least. */
  heterogeneousGap: [number, number];
  /** Operational: share of members whose defining attributes are truly as observed, at least. */
  operationalPrecision: [number, number];
  /** The spread criteria are computed on at most this many targetable listeners (a random sample). */
  sampleListeners: number;
}

export type ScoreComponent = 'profit' | 'trust' | 'compliance' | 'segments' | 'quiz';

export type ComplianceFlag =
  | 'invalidConsent'
  | 'sensitiveWithoutExplicitConsent'
  | 'sensitiveUnderInvalidConsent'
  | 'minorsAgeRestricted'
  | 'vulnerableTargeted'
  | 'unusedData';

export interface ScoringSettings {
  weights: Record<ScoreComponent, number>;
  /** The [min, max] an instructor may set each weight to (class setup; the simulation ignores it). */
  weightRanges: Partial<Record<ScoreComponent, [number, number]>>;
  /** Round profit per 1,000 listeners that earns full marks (0 or less earns none). */
  profitFullPerThousand: number;
  trustZero: number;
  trustFull: number;
  flagPenalty: Record<ComplianceFlag, number>;
  /** Compliance loses this much per unit of harmed share of reachable listeners. */
  harmPenaltyPerShare: number;
  /** Segment-quality mark for a round that targets no segment (mass marketing). */
  noSegmentsScore: number;
}

export type DecisionArea = 'signals' | 'consent' | 'segments' | 'campaigns';

export interface RoundSpec {
  id: Id;
  open: Record<DecisionArea, boolean>;
  /** Decisions used when an area is closed (else the previous round's carry over). */
  defaults: Partial<PlainDecisions>;
  /** Signals and campaigns on offer this round (all when absent). */
  signals?: Id[];
  campaigns?: Id[];
  /** Events that happen at the end of this round whatever the player did. */
  scheduledEvents: EventEffect[];
  /** Index of the right answer of each quiz question of this round. */
  quizKey: number[];
}

export interface Scenario {
  population: Population;
  signals: Signal[];
  consentDesigns: ConsentDesign[];
  campaigns: Campaign[];
  market: MarketSettings;
  response: ResponseSettings;
  segmentCriteria: SegmentCriteria;
  events: EventSettings;
  scoring: ScoringSettings;
  rounds: RoundSpec[];
  maxSegments: number;
}

/* ---- Decisions (the plan of one round), as the player or a plan file states them ---- */

export interface SegmentRule {
  /** OR of AND-clauses over observed attributes. */
  any: { all: TraitCondition[] }[];
}

export interface SegmentSpec {
  id: Id;
  name?: string;
  rule: SegmentRule;
}

/** The segment id that means "everyone reachable" (untargeted run-of-network buy). */
export const EVERYONE = 'everyone';

export interface Assignment {
  campaign: Id;
  segment: Id;
  /** Impressions bought for this round. */
  budget: number;
  /** Frequency cap: most impressions one listener gets from this assignment per round. */
  cap: number;
}

export interface PlainDecisions {
  signals: Id[];
  consent: Id;
  /** Per-signal consent design overriding `consent`. */
  consentBySignal: Record<Id, Id>;
  segments: SegmentSpec[];
  assignments: Assignment[];
  /** Chosen answer per quiz question of the round. */
  quiz: number[];
}
