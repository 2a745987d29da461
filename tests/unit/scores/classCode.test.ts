import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClassCode, encodeClassCode, LANGUAGES, LISTENER_CHOICES, packRef, SCORE_COMPONENTS, SEED_BITS, type ClassSettings } from '../../../src/scores/classCode';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const weightsArb = fc.record(Object.fromEntries(SCORE_COMPONENTS.map((k) => [k, fc.integer({ min: 0, max: 20 }).map((n) => n / 20)])) as Record<(typeof SCORE_COMPONENTS)[number], fc.Arbitrary<number>>);
const settingsArb: fc.Arbitrary<ClassSettings> = fc.record({
  packRef: fc.integer({ min: 0, max: 0xffff }),
  seed: fc.integer({ min: 0, max: 2 ** SEED_BITS - 1 }),
  rounds: fc.integer({ min: 1, max: 12 }),
  listeners: fc.constantFrom(...LISTENER_CHOICES),
  language: fc.constantFrom(...LANGUAGES),
  weights: fc.option(weightsArb, { nil: null }),
});

describe('class codes', () => {
  it('round-trip every setting', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const code = encodeClassCode(s);
        const back = decodeClassCode(code);
        expect(back).toEqual({ ok: true, settings: s, code });
      }),
    );
  });

  it('are short enough for a board: 11 characters, or 16 with custom weights', () => {
    const s: ClassSettings = { packRef: packRef('tunestream-basics', '1.0.0'), seed: 123456, rounds: 4, listeners: 10_000, language: 'en', weights: null };
    const code = encodeClassCode(s);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/);
    expect(encodeClassCode({ ...s, weights: { profit: 0.3, trust: 0.2, compliance: 0.25, segments: 0.15, quiz: 0.1 } }).replace(/-/g, '')).toHaveLength(16);
  });

  it('read the way people type them: any case, spaces, and I, L, O for 1, 1, 0', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const code = encodeClassCode(s);
        const sloppy = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/1/g, 'l').replace(/0/g, 'o')} `;
        expect(decodeClassCode(sloppy)).toEqual({ ok: true, settings: s, code });
      }),
    );
  });

  it('reject every single-character typo', () => {
    fc.assert(
      fc.property(settingsArb, fc.nat(), fc.integer({ min: 1, max: 31 }), (s, at, shift) => {
        const chars = encodeClassCode(s).replace(/-/g, '').split('');
        const i = at % chars.length;
        chars[i] = ALPHABET[(ALPHABET.indexOf(chars[i]!) + shift) % 32]!;
        const result = decodeClassCode(chars.join(''));
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('reject a missing or an extra character, and foreign characters, with a reason', () => {
    const code = encodeClassCode({ packRef: 1, seed: 2, rounds: 3, listeners: 1_000, language: 'es', weights: null });
    expect(decodeClassCode(code.slice(0, -1))).toEqual({ ok: false, error: 'length' });
    expect(decodeClassCode(`${code}7`)).toEqual({ ok: false, error: 'length' });
    expect(decodeClassCode('')).toEqual({ ok: false, error: 'empty' });
    expect(decodeClassCode('ABCD-EFGH-!@#')).toEqual({ ok: false, error: 'characters' });
  });

  it('refuse settings a code cannot carry', () => {
    const s: ClassSettings = { packRef: 1, seed: 2, rounds: 3, listeners: 1_000, language: 'en', weights: null };
    expect(() => encodeClassCode({ ...s, listeners: 1234 })).toThrow(/listeners/);
    expect(() => encodeClassCode({ ...s, rounds: 13 })).toThrow(/rounds/);
    expect(() => encodeClassCode({ ...s, seed: 2 ** SEED_BITS })).toThrow(/seed/);
  });

  it('refer to a pack by its id and version', () => {
    expect(packRef('tunestream-basics', '1.0.0')).toBe(packRef('tunestream-basics', '1.0.0'));
    expect(packRef('tunestream-basics', '1.0.0')).not.toBe(packRef('tunestream-basics', '1.0.1'));
  });
});
