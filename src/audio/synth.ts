/**
 * The game's sounds, synthesised with WebAudio (no audio files): short, friendly cues of a few
 * oscillators with soft envelopes. Loaded lazily by cues.ts the first time sound is on.
 */
import type { Cue } from './cues';

let ctx: AudioContext | null = null;
let out: GainNode | null = null;
/** Sounds still playing, so that turning sound off stops them at once. */
const playing = new Set<AudioScheduledSourceNode>();

function audio(): { ctx: AudioContext; out: GainNode } {
  if (!ctx || !out) {
    ctx = new AudioContext();
    out = ctx.createGain();
    out.gain.value = 0.2;
    out.connect(ctx.destination);
    // Browsers start audio only after a user gesture; a game resumed with sound on waits for one.
    const wake = () => {
      if (ctx?.state === 'suspended' && out?.gain.value) void ctx.resume();
    };
    window.addEventListener('pointerdown', wake);
    window.addEventListener('keydown', wake);
  }
  return { ctx, out };
}

function track(node: AudioScheduledSourceNode): void {
  playing.add(node);
  node.addEventListener('ended', () => playing.delete(node));
}

interface ToneOptions {
  type?: OscillatorType;
  gain?: number;
  /** Slides to this frequency by the end. */
  glideTo?: number;
}

/** One note: attack 10 ms, then an exponential fade over `duration` seconds. */
function tone(freq: number, at: number, duration: number, { type = 'triangle', gain = 0.6, glideTo }: ToneOptions = {}): void {
  const { ctx, out } = audio();
  const t0 = ctx.currentTime + at;
  const osc = ctx.createOscillator();
  const env = ctx.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, t0);
  if (glideTo) osc.frequency.exponentialRampToValueAtTime(glideTo, t0 + duration);
  env.gain.setValueAtTime(0.0001, t0);
  env.gain.exponentialRampToValueAtTime(gain, t0 + 0.01);
  env.gain.exponentialRampToValueAtTime(0.0001, t0 + duration);
  osc.connect(env).connect(out);
  osc.start(t0);
  osc.stop(t0 + duration + 0.02);
  track(osc);
}

/** A short rustle of paper (filtered noise), for headlines. */
function rustle(at: number, duration: number): void {
  const { ctx, out } = audio();
  const t0 = ctx.currentTime + at;
  const buffer = ctx.createBuffer(1, Math.ceil(ctx.sampleRate * duration), ctx.sampleRate);
  const data = buffer.getChannelData(0);
  for (let i = 0; i < data.length; i++) data[i] = (Math.random() * 2 - 1) * (1 - i / data.length);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  const filter = ctx.createBiquadFilter();
  filter.type = 'highpass';
  filter.frequency.value = 2500;
  const env = ctx.createGain();
  env.gain.value = 0.35;
  source.connect(filter).connect(env).connect(out);
  source.start(t0);
  track(source);
}

const NOTE = { A3: 220, C4: 262, E4: 330, G4: 392, C5: 523, E5: 659, G5: 784, B5: 988, C6: 1047, E6: 1319 } as const;

export function play(cue: Cue): void {
  switch (cue) {
    case 'click':
      return tone(880, 0, 0.08, { type: 'sine', glideTo: 1175, gain: 0.45 });
    case 'purchase':
      // A coin: two bright notes.
      tone(NOTE.B5, 0, 0.08, { gain: 0.5 });
      return tone(NOTE.E6, 0.07, 0.22, { gain: 0.5 });
    case 'creepy':
      // "Uh-oh": two slightly detuned voices falling a minor third, beating uneasily.
      for (const detune of [1, 1.03]) {
        tone(311 * detune, 0, 0.16, { gain: 0.3 });
        tone(262 * detune, 0.16, 0.32, { gain: 0.3, glideTo: 247 * detune });
      }
      return;
    case 'optOut':
      return tone(660, 0, 0.25, { type: 'sine', glideTo: 330, gain: 0.45 });
    case 'leave':
      return tone(440, 0, 0.45, { type: 'sine', glideTo: 196, gain: 0.35 });
    case 'headline':
      rustle(0, 0.12);
      tone(NOTE.G4, 0.08, 0.14, { type: 'square', gain: 0.12 });
      return tone(NOTE.C5, 0.2, 0.3, { type: 'square', gain: 0.12 });
    case 'resultsGood':
      [NOTE.C5, NOTE.E5, NOTE.G5, NOTE.C6].forEach((f, k) => tone(f, k * 0.09, 0.3, { gain: 0.45 }));
      return;
    case 'resultsBad':
      [NOTE.E4, NOTE.C4, NOTE.A3].forEach((f, k) => tone(f, k * 0.14, 0.34, { gain: 0.5 }));
      return;
  }
}

/** Sound off: stop what plays and suspend the audio device. */
export function mute(): void {
  for (const node of playing) node.stop();
  playing.clear();
  if (out) out.gain.value = 0;
  if (ctx?.state === 'running') void ctx.suspend();
}

/** Sound on (called from the setting's change, a user gesture, so the browser lets audio start). */
export function unmute(): void {
  const { ctx, out } = audio();
  out.gain.value = 0.2;
  if (ctx.state === 'suspended') void ctx.resume();
}
