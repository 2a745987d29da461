/**
 * Class codes: a short code an instructor writes on the board so that every student plays the
 * same market. It packs the pack reference (a 16-bit digest of id@version), the seed, the number
 * of rounds, the listener count, the language and, when the instructor changed them, the scoring
 * weights; then a check character. Letters are Crockford base 32 (no I, L, O, U; those are read
 * as 1, 1, 0 when typed), grouped by four: "7K3M-Q9XA-2BF".
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { ScoreComponent } from '../sim';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT = 0;
/** Listener counts an instructor may choose (the code stores the index). */
export const LISTENER_CHOICES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000] as const;
export const LANGUAGES = ['en', 'es'] as const;
export type ClassLanguage = (typeof LANGUAGES)[number];
export const SCORE_COMPONENTS: ScoreComponent[] = ['profit', 'trust', 'compliance', 'segments', 'quiz'];
/** Weights are stored in steps of 0.05. */
export const WEIGHT_STEP = 0.05;
export const SEED_BITS = 22;

export interface ClassSettings {
  /** 16-bit digest of the pack's id and version (see packRef). */
  packRef: number;
  seed: number;
  rounds: number;
  listeners: number;
  language: ClassLanguage;
  /** null: the pack's own weights. */
  weights: Record<ScoreComponent, number> | null;
}

export type DecodeResult = { ok: true; settings: ClassSettings; code: string } | { ok: false; error: 'empty' | 'characters' | 'length' | 'check' | 'format' };

/** Which pack a code means; students' apps find it among their packs by this number. */
export function packRef(id: string, version: string): number {
  const d = sha256(new TextEncoder().encode(`${id}@${version}`));
  return (d[0]! << 8) | d[1]!;
}

/** Luhn mod 32: catches every single-character mistake and most swaps of neighbours. */
function checkDigit(digits: number[]): number {
  let sum = 0;
  let factor = 2;
  for (let i = digits.length - 1; i >= 0; i--) {
    const p = factor * digits[i]!;
    sum += Math.floor(p / 32) + (p % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return (32 - (sum % 32)) % 32;
}

class Bits {
  readonly bits: number[] = [];
  private at = 0;
  constructor(bits?: number[]) {
    if (bits) this.bits = bits;
  }
  write(value: number, width: number): void {
    for (let b = width - 1; b >= 0; b--) this.bits.push(Math.floor(value / 2 ** b) % 2);
  }
  read(width: number): number {
    let v = 0;
    for (let b = 0; b < width; b++) v = v * 2 + (this.bits[this.at++] ?? 0);
    return v;
  }
  get left(): number {
    return this.bits.length - this.at;
  }
}

export function encodeClassCode(s: ClassSettings): string {
  const listenerIndex = LISTENER_CHOICES.indexOf(s.listeners as (typeof LISTENER_CHOICES)[number]);
  if (listenerIndex < 0) throw new RangeError(`listeners must be one of ${LISTENER_CHOICES.join(', ')}`);
  if (!Number.isInteger(s.rounds) || s.rounds < 1 || s.rounds > 12) throw new RangeError('rounds must be 1–12');
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed >= 2 ** SEED_BITS) throw new RangeError(`seed must be below 2^${SEED_BITS}`);
  const bits = new Bits();
  bits.write(FORMAT, 2);
  bits.write(s.packRef, 16);
  bits.write(s.seed, SEED_BITS);
  bits.write(s.rounds - 1, 4);
  bits.write(listenerIndex, 3);
  bits.write(LANGUAGES.indexOf(s.language), 2);
  bits.write(s.weights ? 1 : 0, 1);
  if (s.weights) for (const k of SCORE_COMPONENTS) bits.write(Math.round(s.weights[k] / WEIGHT_STEP), 5);
  while (bits.bits.length % 5) bits.bits.push(0);
  const digits: number[] = [];
  for (let i = 0; i < bits.bits.length; i += 5) digits.push(new Bits(bits.bits.slice(i, i + 5)).read(5));
  digits.push(checkDigit(digits));
  return formatCode(digits.map((d) => ALPHABET[d]).join(''));
}

/** Groups of four, for reading aloud and writing on a board. */
function formatCode(chars: string): string {
  return chars.match(/.{1,4}/g)!.join('-');
}

/** Reads a typed code: case, spaces and dashes do not matter; I and L read as 1, O as 0. */
export function decodeClassCode(typed: string): DecodeResult {
  const chars = typed.toUpperCase().replace(/[\s-]+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!chars) return { ok: false, error: 'empty' };
  const digits = [...chars].map((c) => ALPHABET.indexOf(c));
  if (digits.some((d) => d < 0)) return { ok: false, error: 'characters' };
  // 50 bits without custom weights, 75 with; plus the check character.
  if (digits.length !== 11 && digits.length !== 16) return { ok: false, error: 'length' };
  const body = digits.slice(0, -1);
  if (checkDigit(body) !== digits.at(-1)) return { ok: false, error: 'check' };
  const bits = new Bits(body.flatMap((d) => [(d >> 4) & 1, (d >> 3) & 1, (d >> 2) & 1, (d >> 1) & 1, d & 1]));
  if (bits.read(2) !== FORMAT) return { ok: false, error: 'format' };
  const packRefValue = bits.read(16);
  const seed = bits.read(SEED_BITS);
  const rounds = bits.read(4) + 1;
  const listeners = LISTENER_CHOICES[bits.read(3)]!;
  const language = LANGUAGES[bits.read(2)];
  const hasWeights = bits.read(1) === 1;
  if (!language || rounds > 12 || hasWeights !== (digits.length === 16)) return { ok: false, error: 'format' };
  let weights: ClassSettings['weights'] = null;
  if (hasWeights) {
    weights = {} as Record<ScoreComponent, number>;
    for (const k of SCORE_COMPONENTS) {
      const steps = bits.read(5);
      if (steps > 1 / WEIGHT_STEP) return { ok: false, error: 'format' };
      weights[k] = roundWeight(steps * WEIGHT_STEP);
    }
  }
  const settings: ClassSettings = { packRef: packRefValue, seed, rounds, listeners, language, weights };
  return { ok: true, settings, code: formatCode(digits.map((d) => ALPHABET[d]).join('')) };
}

/** A weight on the code's grid (0.05 steps), without binary fractions like 0.15000000000000002. */
export function roundWeight(w: number): number {
  return Math.round(w / WEIGHT_STEP) / (1 / WEIGHT_STEP);
}

/** The normal form of a typed code, or null if it does not decode. */
export function normalizeClassCode(typed: string): string | null {
  const d = decodeClassCode(typed);
  return d.ok ? d.code : null;
}
