/**
 * The running game derived from a saved session: replaying its decisions gives every result, the
 * simulation state, and what the world view shows of a sample of listeners.
 */
import { scenarioForCode } from '../scores/classPlay';
import { buildScoreFile, type ScoreFile } from '../scores/scoreFile';
import { createState, effectiveDecisions, playRound, previewRound, type ListenerTrace, type PlainDecisions, type RoundPreview, type RoundResult, type Scenario, type SimState } from '../sim';
import type { LibraryPack } from './packLibrary';
import type { SavedSession } from './session';

/** Listeners the world view draws (listeners are drawn independently, so the first ones are a fair sample). */
export const SAMPLE_SIZE = 48;
export const SAMPLE = Array.from({ length: SAMPLE_SIZE }, (_, i) => i);

export interface GameView {
  pack: LibraryPack;
  /** The scenario played: the pack's, or its class variant (rounds, weights). */
  scenario: Scenario;
  saved: SavedSession;
  results: RoundResult[];
  /** State after the rounds played. */
  state: SimState;
  /** State before the last round played (for the persona view of that round). */
  stateBefore: SimState;
  /** The sample as the last round left it (ads, reactions); empty before round 1. */
  lastSample: ListenerTrace[];
  /** What the current draft would collect and segment (collect, segment and serve phases). */
  preview: RoundPreview | null;
}

/**
 * Replays the saved decisions. When only the draft or phase changed since `previous`, its results
 * are reused and only the preview is recomputed (the draft changes at every keystroke).
 */
export function deriveGame(pack: LibraryPack, saved: SavedSession, previous?: GameView): GameView {
  if (previous && previous.pack === pack && previous.saved.rounds === saved.rounds && previous.saved.seed === saved.seed && previous.saved.listeners === saved.listeners && previous.saved.classCode === saved.classCode)
    return { ...previous, saved, preview: previewFor(previous.scenario, saved, previous.state, previous.results.length) };
  const scenario = scenarioForCode(pack.scenario, saved.classCode);
  let state = createState(scenario, saved.seed, saved.listeners);
  let stateBefore = state;
  const results: RoundResult[] = [];
  let lastSample: ListenerTrace[] = [];
  saved.rounds.forEach((decisions, r) => {
    const last = r === saved.rounds.length - 1;
    stateBefore = state;
    const step = playRound(scenario, state, decisions, last ? { traces: SAMPLE } : {});
    state = step.state;
    results.push(step.result);
    if (last) lastSample = step.traces;
  });
  return { pack, scenario, saved, results, state, stateBefore, lastSample, preview: previewFor(scenario, saved, state, results.length) };
}

function previewFor(scenario: Scenario, saved: SavedSession, state: SimState, played: number): RoundPreview | null {
  const planning = saved.phase === 'briefing' || saved.phase === 'collect' || saved.phase === 'segment' || saved.phase === 'serve';
  if (!planning || played >= scenario.rounds.length) return null;
  try {
    return previewRound(scenario, state, saved.draft, SAMPLE);
  } catch {
    // A draft that does not check yet (say, a segment with no condition) has no preview.
    return null;
  }
}

/** The current round's decisions as the simulation will take them (closed areas and carry-over applied). */
export function currentDecisions(view: GameView): PlainDecisions {
  return effectiveDecisions(view.scenario, view.results.length, view.saved.draft, view.state.lastDecisions).plain;
}

/** The score file of the game so far (the whole game after the last round). */
export function scoreFileFor(view: GameView, appVersion: string, exportedAt: string): ScoreFile {
  const { saved } = view;
  return buildScoreFile(
    { appVersion, pack: saved.pack, classCode: saved.classCode, nickname: saved.nickname, startedAt: saved.startedAt, exportedAt },
    { seed: saved.seed, listeners: saved.listeners, decisions: saved.rounds, results: view.results, scenarioRounds: view.scenario.rounds.length },
  );
}
