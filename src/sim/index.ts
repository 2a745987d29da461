/** The simulation's public surface. Pure and deterministic; imports nothing else of the project. */
export * from './scenario';
export { createState, stateToJSON, stateFromJSON, cloneState, type SimState } from './state';
export { playRound, type RoundResult, type AssignmentResult, type HarmEntry, type ListenerTrace } from './round';
export { MarketMemo } from './marketMemo';
export { newMarket, playPlan, replay, previewRound, type Market, type ReplayLog, type GameOutcome, type RoundPreview } from './game';
export { DecisionError, effectiveDecisions, type DecisionIssue } from './decisions';
export { type SegmentReportCard, type Grade, type Criterion } from './reportCard';
export { type EventOutcome, type EventMetrics } from './events';
export { finalBreakdown, finalScore, type ScoreBreakdown } from './score';
export { nearestName, listAllowed, editDistance } from './names';
