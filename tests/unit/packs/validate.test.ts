import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packSource } from '../../../src/cli/cliSupport';
import { readPackSource } from '../../../src/packs/packFiles';
import { problemLine } from '../../../src/packs/problems';

const FIXTURES = 'tests/fixtures/packs';

function problemsOf(name: string): string[] {
  return readPackSource(packSource(`${FIXTURES}/${name}`)).problems.map(problemLine);
}

describe('the validator rejects each kind of bad pack with a message naming file, path and fix', () => {
  const cases: [fixture: string, path: string, message: RegExp][] = [
    ['wrong-type', 'minutes', /expected number, got "twenty"/],
    ['unknown-field', 'titel', /unknown field "titel" \(did you mean "title"\?\)/],
    ['near-miss-signal', 'scenario.rounds[2].scheduledEvents[0].signal', /unknown signal "motion_sensor" \(did you mean "motion_sensors"\?\); allowed: .*"voice"/],
    ['campaign-trait-unrevealed', 'scenario.campaigns[0].relevance.terms[0].trait', /relevant to trait "mood", but no signal reveals it/],
    ['unknown-debrief-metric', 'lesson.rounds[0].debriefs[0].when[0].metric', /"trustIdx" is not allowed \(did you mean "trustIndex"\?\)/],
    ['quiz-answer-out-of-range', 'lesson.rounds[0].quiz[0].answer', /answer 7 is out of range; this question has 3 options, so use 0 to 2/],
    ['image-missing', 'lesson.rounds[0].image.file', /image "images\/street.png" is not in the pack/],
    ['locale-missing', 'lesson.rounds[1].briefing.es', /missing the "es" text/],
    ['locale-plain-string', 'lesson.rounds[1].title', /one version for all languages/],
    ['lesson-rounds-mismatch', 'lesson.rounds', /3 lesson rounds for 4 scenario rounds/],
    ['smoke-game-fails', 'scenario', /smoke game \(empty plan\) failed: .*unknown attribute "aura"/],
    ['too-many-listeners', 'scenario.population.maxListeners', /must be at most 1000000 \(got 50000000\)/],
    ['truncated', '', /not valid JSON at line 1, column \d+: the file ends too early/],
    ['empty', '', /the file is empty/],
    ['not-json', '', /not valid JSON/],
    ['proto-keys', '__proto__', /unknown field "__proto__"/],
  ];
  it.each(cases)('%s', (fixture, path, message) => {
    const lines = problemsOf(fixture);
    const file = `${FIXTURES}/${fixture}/pack.json`;
    const expected = path ? `${file}: ${path}: ` : `${file}: `;
    const hit = lines.find((l) => l.startsWith(expected) && message.test(l));
    expect(hit, `expected a line "${expected}… ${message}" in:\n${lines.join('\n')}`).toBeDefined();
  });

  it('rejects an image whose bytes are not an image, naming the image file', () => {
    const lines = problemsOf('image-not-png');
    expect(lines).toContain(`${FIXTURES}/image-not-png/images/street.png: not a PNG, JPEG, WebP or SVG image (its name or its first bytes do not match)`);
  });

  it('keeps __proto__ and constructor keys harmless', () => {
    problemsOf('proto-keys');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('valid packs', () => {
  it('accepts a pack with an SVG image and keeps HTML in texts as plain text', () => {
    const withImage = readPackSource(packSource(`${FIXTURES}/with-image`));
    expect(withImage.problems).toEqual([]);
    expect(withImage.loaded?.pack.lesson.rounds[0]?.image?.file).toBe('images/street.svg');
    const html = readPackSource(packSource(`${FIXTURES}/html-in-text`));
    expect(html.problems).toEqual([]);
    expect(html.loaded?.pack.title).toEqual({ en: '<img src=x onerror=alert(1)>Hacked', es: '<script>alert(1)</script>Hackeado' });
  });

  it('builds the quiz answer keys into the scenario and hashes the content, not its formatting', () => {
    const a = readPackSource(packSource('lessons/tunestream-basics'));
    expect(a.problems).toEqual([]);
    expect(a.loaded!.scenario.rounds.map((r) => r.quizKey)).toEqual(a.loaded!.pack.lesson.rounds.map((r) => r.quiz.map((q) => q.answer)));
    const text = new TextDecoder().decode(packSource('lessons/tunestream-basics').files.get('pack.json'));
    const reformatted = JSON.stringify(JSON.parse(text));
    const b = readPackSource({ origin: 'x.json', files: new Map([['pack.json', new TextEncoder().encode(reformatted)]]) });
    expect(b.loaded!.hash).toBe(a.loaded!.hash);
    expect(b.loaded!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('packs in lessons/', () => {
  const builtIn = readdirSync('lessons', { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(`lessons/${e.name}/pack.json`))
    .map((e) => `lessons/${e.name}`);
  it.each([...builtIn, 'lessons/examples/minimal-pack'])('%s validates, smoke games included', (path) => {
    expect(readPackSource(packSource(path)).problems.map(problemLine)).toEqual([]);
  });
});
