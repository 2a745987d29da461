/**
 * The default listener market (the calibration of DESIGN.md's appendix). A pack that leaves a
 * part of its scenario out gets these; a pack that gives a part replaces it.
 */
import type { Attitude, Campaign, ConsentDesign, OperatingSystem, Signal, Trait } from '../sim';

const yesNo = (yes: number) => [
  { id: 'yes', share: yes },
  { id: 'no', share: 1 - yes },
];

export const DEFAULT_TRAITS: Trait[] = [
  {
    id: 'age',
    sensitivity: 1,
    changeEachRound: 0,
    values: [
      { id: '13-17', share: 0.08, minor: true },
      { id: '18-24', share: 0.22 },
      { id: '25-34', share: 0.25 },
      { id: '35-44', share: 0.18 },
      { id: '45-54', share: 0.14 },
      { id: '55+', share: 0.13 },
    ],
  },
  {
    id: 'region',
    sensitivity: 0,
    changeEachRound: 0,
    values: [
      { id: 'old_town', share: 0.22 },
      { id: 'riverside', share: 0.24 },
      { id: 'hillcrest', share: 0.2 },
      { id: 'harbour', share: 0.18 },
      { id: 'northgate', share: 0.16 },
    ],
  },
  {
    id: 'genre',
    sensitivity: 0,
    changeEachRound: 0,
    values: [
      { id: 'pop', share: 0.28 },
      { id: 'hiphop', share: 0.2 },
      { id: 'rock', share: 0.14 },
      { id: 'latin', share: 0.12 },
      { id: 'electronic', share: 0.1 },
      { id: 'country', share: 0.1 },
      { id: 'classical', share: 0.06 },
    ],
  },
  {
    id: 'interest',
    sensitivity: 0,
    changeEachRound: 0,
    values: [
      { id: 'tech', share: 0.2 },
      { id: 'fitness', share: 0.18 },
      { id: 'food', share: 0.2 },
      { id: 'fashion', share: 0.17 },
      { id: 'gaming', share: 0.15 },
      { id: 'travel', share: 0.1 },
    ],
  },
  { id: 'runner', sensitivity: 1, changeEachRound: 0, values: yesNo(0.15) },
  { id: 'dog_walker', sensitivity: 1, changeEachRound: 0, values: yesNo(0.12) },
  { id: 'commuter', sensitivity: 0, changeEachRound: 0, values: yesNo(0.4) },
  { id: 'night_owl', sensitivity: 0, changeEachRound: 0, values: yesNo(0.25) },
  {
    id: 'mood',
    sensitivity: 3,
    changeEachRound: 0.5,
    values: [
      { id: 'steady', share: 0.72 },
      { id: 'heartbreak', share: 0.08 },
      { id: 'exam_stress', share: 0.07 },
      { id: 'grief', share: 0.04 },
      { id: 'celebration', share: 0.09 },
    ],
  },
  { id: 'new_parent', sensitivity: 2, changeEachRound: 0, values: yesNo(0.06) },
  { id: 'financial_stress', sensitivity: 3, changeEachRound: 0.1, values: yesNo(0.18) },
  { id: 'sensitive_places', sensitivity: 3, changeEachRound: 0, values: yesNo(0.2) },
];

export const DEFAULT_OS: OperatingSystem[] = [
  { id: 'ios', share: 0.45, promptOptIn: 0.25 },
  { id: 'android', share: 0.55, promptOptIn: 0.7 },
];

export const DEFAULT_ATTITUDES: Attitude[] = [
  { id: 'fundamentalist', share: 0.25, creepFactor: 1, trustMean: 60, trustSpread: 15, pressTrustHit: -15 },
  { id: 'pragmatist', share: 0.57, creepFactor: 0.6, trustMean: 70, trustSpread: 15, pressTrustHit: -10 },
  { id: 'unconcerned', share: 0.18, creepFactor: 0.15, trustMean: 78, trustSpread: 12, pressTrustHit: -10 },
];

const reveal = (trait: string, accuracy: number) => ({ trait, accuracy });

export const DEFAULT_SIGNALS: Signal[] = [
  { id: 'account_profile', costPerThousand: 0, sensitivity: 1, legalBasis: 'contract', gatedOn: [], reveals: [reveal('age', 0.9), reveal('region', 0.8)] },
  {
    id: 'listening_history',
    costPerThousand: 0.1,
    sensitivity: 1,
    legalBasis: 'consent',
    gatedOn: [],
    reveals: [reveal('genre', 0.9), reveal('mood', 0.35), reveal('night_owl', 0.5)],
  },
  {
    id: 'searches',
    costPerThousand: 0.1,
    sensitivity: 2,
    legalBasis: 'consent',
    gatedOn: [],
    reveals: [reveal('mood', 0.7), reveal('new_parent', 0.3)],
  },
  {
    id: 'time_of_day',
    costPerThousand: 0.05,
    sensitivity: 0,
    legalBasis: 'legitimate-interest',
    gatedOn: [],
    reveals: [reveal('night_owl', 0.8), reveal('commuter', 0.8)],
  },
  {
    id: 'skip_behaviour',
    costPerThousand: 0.05,
    sensitivity: 1,
    legalBasis: 'legitimate-interest',
    gatedOn: [],
    reveals: [reveal('genre', 0.5), reveal('mood', 0.3)],
  },
  { id: 'coarse_location', costPerThousand: 0.05, sensitivity: 0, legalBasis: 'legitimate-interest', gatedOn: [], reveals: [reveal('region', 0.95)] },
  {
    id: 'precise_location',
    costPerThousand: 0.4,
    sensitivity: 3,
    legalBasis: 'explicit-consent',
    gatedOn: ['ios', 'android'],
    reveals: [reveal('region', 1), reveal('runner', 0.5), reveal('dog_walker', 0.5), reveal('commuter', 0.7), reveal('sensitive_places', 0.9)],
  },
  {
    id: 'motion_sensors',
    costPerThousand: 0.3,
    sensitivity: 2,
    legalBasis: 'consent',
    gatedOn: ['ios'],
    reveals: [reveal('runner', 0.85), reveal('dog_walker', 0.75), reveal('commuter', 0.6)],
  },
  {
    id: 'voice',
    costPerThousand: 0.8,
    sensitivity: 3,
    legalBasis: 'explicit-consent',
    gatedOn: ['ios', 'android'],
    reveals: [reveal('mood', 0.6), reveal('age', 0.7)],
  },
  {
    id: 'linked_social',
    costPerThousand: 0.5,
    sensitivity: 2,
    legalBasis: 'consent',
    gatedOn: [],
    reveals: [reveal('age', 0.8), reveal('interest', 0.6), reveal('mood', 0.3)],
  },
  {
    id: 'data_broker',
    costPerThousand: 5,
    sensitivity: 3,
    legalBasis: 'explicit-consent',
    gatedOn: [],
    reveals: [reveal('financial_stress', 0.7), reveal('new_parent', 0.6), reveal('interest', 0.5)],
  },
  {
    id: 'cross_app_id',
    costPerThousand: 1.5,
    sensitivity: 2,
    legalBasis: 'consent',
    gatedOn: ['ios'],
    reveals: [reveal('interest', 0.5)],
  },
];

export const DEFAULT_CONSENT_DESIGNS: ConsentDesign[] = [
  {
    id: 'clear_opt_in',
    coverage: { fundamentalist: 0.15, pragmatist: 0.5, unconcerned: 0.85 },
    covertness: 0.5,
    validConsent: true,
    explicit: true,
    trustCostPerSensitivity: 0,
  },
  {
    id: 'bundled',
    coverage: { fundamentalist: 0.4, pragmatist: 0.8, unconcerned: 0.97 },
    covertness: 0.8,
    validConsent: true,
    explicit: false,
    trustCostPerSensitivity: 0.05,
  },
  {
    id: 'buried',
    coverage: { fundamentalist: 0.95, pragmatist: 0.98, unconcerned: 1 },
    covertness: 1.2,
    validConsent: false,
    explicit: false,
    trustCostPerSensitivity: 0.3,
  },
];

const term = (trait: string, values: string[], add: number) => ({ trait, in: values, add });
const young = ['18-24', '25-34'];
const minors = ['13-17'];

export const DEFAULT_CAMPAIGNS: Campaign[] = [
  {
    id: 'frosty_scoops',
    cpm: 12,
    feePerConversion: 1,
    demandPerThousand: 1500,
    relevance: { base: 0.1, terms: [term('mood', ['heartbreak'], 0.35), term('interest', ['food'], 0.3), term('night_owl', ['yes'], 0.15)] },
    harms: [],
  },
  {
    id: 'sparkmatch',
    cpm: 18,
    feePerConversion: 4,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('mood', ['heartbreak'], 0.45), term('age', young, 0.25)] },
    harms: [
      { tag: 'vulnerableMoment', trait: 'mood', in: ['heartbreak', 'grief'], targetedOnly: true },
      { tag: 'ageRestricted', trait: 'age', in: minors, targetedOnly: false },
    ],
  },
  {
    id: 'stride_shoes',
    cpm: 15,
    feePerConversion: 6,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('runner', ['yes'], 0.65), term('interest', ['fitness'], 0.25)] },
    harms: [],
  },
  {
    id: 'live_nights',
    cpm: 14,
    feePerConversion: 5,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('genre', ['pop', 'latin'], 0.5), term('region', ['old_town', 'harbour'], 0.2), term('age', young, 0.15)] },
    harms: [],
  },
  {
    id: 'quietbeat_headphones',
    cpm: 10,
    feePerConversion: 5,
    demandPerThousand: 1500,
    relevance: { base: 0.1, terms: [term('interest', ['tech'], 0.4), term('commuter', ['yes'], 0.25), term('runner', ['yes'], 0.1)] },
    harms: [],
  },
  {
    id: 'metro_coffee',
    cpm: 11,
    feePerConversion: 3,
    demandPerThousand: 1500,
    relevance: { base: 0.1, terms: [term('commuter', ['yes'], 0.4), term('interest', ['food'], 0.2)] },
    harms: [],
  },
  {
    id: 'quickcash_loans',
    cpm: 25,
    feePerConversion: 8,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('financial_stress', ['yes'], 0.6)] },
    harms: [
      { tag: 'exploitsVulnerability', trait: 'financial_stress', in: ['yes'], targetedOnly: false },
      { tag: 'ageRestricted', trait: 'age', in: minors, targetedOnly: false },
    ],
  },
  {
    id: 'lucky_goal_betting',
    cpm: 22,
    feePerConversion: 10,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('age', young, 0.3), term('interest', ['gaming'], 0.25)] },
    harms: [
      { tag: 'ageRestricted', trait: 'age', in: minors, targetedOnly: false },
      { tag: 'exploitsVulnerability', trait: 'financial_stress', in: ['yes'], targetedOnly: true },
    ],
  },
  {
    id: 'calm_mind_app',
    cpm: 14,
    feePerConversion: 5,
    demandPerThousand: 1500,
    relevance: { base: 0.05, terms: [term('mood', ['exam_stress', 'grief', 'heartbreak'], 0.5), term('interest', ['fitness'], 0.1)] },
    harms: [{ tag: 'sensitiveCategory', trait: 'mood', in: ['exam_stress', 'grief', 'heartbreak'], targetedOnly: true }],
  },
  {
    id: 'tiny_steps_baby',
    cpm: 16,
    feePerConversion: 4,
    demandPerThousand: 1500,
    relevance: { base: 0.03, terms: [term('new_parent', ['yes'], 0.7)] },
    harms: [{ tag: 'sensitiveCategory', trait: 'new_parent', in: ['yes'], targetedOnly: true }],
  },
];
