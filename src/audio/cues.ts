/**
 * Sound cues, off unless the player turns sound on. This module is tiny and has no audio code:
 * the synthesiser (synth.ts, WebAudio) is loaded on first use, and no AudioContext exists until
 * then, so a game with sound off (the default, and every test that does not turn it on) makes no
 * sound and creates no audio at all. Every sound is synthesised in code: no audio files.
 */
export type Cue = 'click' | 'purchase' | 'creepy' | 'optOut' | 'leave' | 'headline' | 'resultsGood' | 'resultsBad';

type Synth = typeof import('./synth');

let enabled = false;
let synth: Promise<Synth> | null = null;
const lastPlayed = new Map<Cue, number>();
/** The same cue at most this often (ms): dozens of listeners react within a second. */
const MIN_GAP = 140;

function load(): Promise<Synth> {
  synth ??= import('./synth');
  return synth;
}

/** Follows the setting at once: turning sound off silences what is playing. */
export function setSoundEnabled(on: boolean): void {
  if (on === enabled) return;
  enabled = on;
  if (on) void load().then((s) => s.unmute());
  else if (synth) void synth.then((s) => s.mute());
}

export function playCue(cue: Cue): void {
  if (!enabled) return;
  const now = performance.now();
  if (now - (lastPlayed.get(cue) ?? -Infinity) < MIN_GAP) return;
  lastPlayed.set(cue, now);
  void load().then((s) => {
    if (enabled) s.play(cue);
  });
}
