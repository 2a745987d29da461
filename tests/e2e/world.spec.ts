/**
 * The Phaser world beside the DOM panels, driven by the store: a saved game is put in local
 * storage and the app resumes it in a given phase. The canvas is read back as pixels (colours of
 * the palette) and through the window events the DOM layer relies on.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { readPack } from '../../src/cli/cliSupport';
import { decodePng, shareOfColour, type DecodedImage } from './png';
import { waitForGame, watchPage } from './pageWatch';

const SCREENS = 'test-results/screens';

// Each test loads Phaser and the pack in a software-rendered browser: allow time.
test.describe.configure({ timeout: 60_000 });
const PACK = readPack('lessons/tunestream-basics');

type Decisions = Record<string, unknown>;

function plan(name: string): Decisions[] {
  return (JSON.parse(readFileSync(`lessons/tunestream-basics/plans/${name}.json`, 'utf8')) as { rounds: Decisions[] }).rounds;
}

/** A saved session (src/store/session.ts) of tunestream-basics. */
function session(phase: string, rounds: Decisions[], draft: Decisions): string {
  return JSON.stringify({
    version: 1,
    pack: { id: PACK.pack.id, version: PACK.pack.version, hash: PACK.hash, builtIn: true },
    seed: 42,
    listeners: 10_000,
    classCode: null,
    nickname: 'Ana',
    rounds: rounds.map((r) => ({ ...r, quiz: [] })),
    draft,
    phase,
    startedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  });
}

declare global {
  interface Window {
    __worldEvents?: { type: string; detail: { round: number; skipped?: boolean } }[];
    /** What the page did with WebAudio: contexts made, notes started, the last context's state. */
    __audio?: { contexts: number; tones: number; state: string };
  }
}

const SETTINGS_KEY = 'tracks-and-targets.settings';

/** Opens the app on a saved game (and settings) and waits until the world shows its phase. */
async function openWorld(page: Page, saved: string, phase: string, settings?: Record<string, unknown>): Promise<void> {
  await page.addInitScript(
    ([text, settingsText]) => {
      localStorage.setItem('tracks-and-targets.session', text!);
      if (settingsText) localStorage.setItem('tracks-and-targets.settings', settingsText);
      window.__worldEvents = [];
      for (const type of ['tt:animation-start', 'tt:animation-done'])
        window.addEventListener(type, (e) => window.__worldEvents?.push({ type, detail: (e as CustomEvent).detail }));
      // Counts what the game does with WebAudio (a wrapper, so the game's code is the shipped one).
      const audio = { contexts: 0, tones: 0, state: 'none' };
      window.__audio = audio;
      const Base = window.AudioContext;
      window.AudioContext = class extends Base {
        constructor(options?: AudioContextOptions) {
          super(options);
          audio.contexts++;
          audio.state = this.state;
          this.addEventListener('statechange', () => (audio.state = this.state));
        }
        override createOscillator(): OscillatorNode {
          audio.tones++;
          return super.createOscillator();
        }
      };
    },
    [saved, settings ? JSON.stringify({ reducedMotion: false, textScale: 1, sound: false, palette: 'standard', ...settings }) : null],
  );
  await page.goto('/');
  await waitForGame(page);
  await expect(page.locator('#world canvas')).toHaveAttribute('data-world-phase', phase);
}

/** The canvas as pixels, cut to the left 60% (the DOM panel covers the rest). */
async function worldPixels(page: Page): Promise<DecodedImage> {
  const image = decodePng(await page.locator('#world canvas').screenshot());
  const width = Math.round(image.width * 0.6);
  const data = new Uint8Array(width * image.height * image.channels);
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * image.width * image.channels, (y * image.width + width) * image.channels), y * width * image.channels);
  }
  return { ...image, width, data };
}

const events = (page: Page) => page.evaluate(() => window.__worldEvents ?? []);

test.beforeAll(async () => {
  await mkdir(SCREENS, { recursive: true });
});

test('collect: what the signals cover lights up in sky blue; briefing shows the plain neighbourhood', async ({ page, baseURL }) => {
  const watch = await watchPage(page, baseURL ?? '');
  const round = plan('bundled-grey-zone')[0]!;
  await openWorld(page, session('collect', [], round), 'collect');
  await page.waitForTimeout(600); // overlays pop in
  const collect = await worldPixels(page);
  await page.screenshot({ path: `${SCREENS}/world-collect.png` });

  await page.evaluate(() => localStorage.clear());
  const briefing = await page.context().newPage();
  await openWorld(briefing, session('briefing', [], round), 'briefing');
  const plain = await worldPixels(briefing);

  expect(shareOfColour(collect, '#F7F5F0')).toBeGreaterThan(0.05); // paper sky
  expect(shareOfColour(collect, '#56B4E9', 6)).toBeGreaterThan(0.002);
  expect(shareOfColour(plain, '#56B4E9', 6)).toBeLessThan(shareOfColour(collect, '#56B4E9', 6) / 4);
  expect(watch.problems).toEqual([]);
});

test('segment: members carry their segment colour with a letter, the others step back', async ({ page }) => {
  const round = plan('bundled-grey-zone')[0]!;
  // Commuters first, so that segment A (reddish purple) has many members in the sample.
  const segments = [...(round.segments as { id: string }[])].sort((a, b) => (a.id === 'commuters' ? -1 : b.id === 'commuters' ? 1 : 0));
  await openWorld(page, session('segment', [], { ...round, segments }), 'segment');
  await page.waitForTimeout(600);
  const image = await worldPixels(page);
  await page.screenshot({ path: `${SCREENS}/world-segment.png` });
  expect(shareOfColour(image, '#CC79A7', 6)).toBeGreaterThan(0.0015);
});

test('results: ads fly and reactions pop for about 5 s, then the world says it is done', async ({ page, baseURL }) => {
  const watch = await watchPage(page, baseURL ?? '');
  await openWorld(page, session('results', plan('collect-everything-buried').slice(0, 1), {}), 'results');
  await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 5_000 }).toContain('tt:animation-start');
  await expect(page.locator('#world canvas')).toHaveAttribute('data-world-animation', 'playing');
  await page.screenshot({ path: `${SCREENS}/world-results-mid.png` });
  await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toContain('tt:animation-done');
  expect((await events(page)).find((e) => e.type === 'tt:animation-done')?.detail).toEqual({ round: 1, skipped: false });
  await expect(page.locator('#world canvas')).toHaveAttribute('data-world-animation', 'done');
  // Sound is off by default: no audio was even set up.
  expect(await page.evaluate(() => window.__audio)).toEqual({ contexts: 0, tones: 0, state: 'none' });

  // The end state: creepy moments (orange) and harm (vermillion) over heads.
  const image = await worldPixels(page);
  await page.screenshot({ path: `${SCREENS}/world-results-end.png` });
  expect(shareOfColour(image, '#E69F00', 6)).toBeGreaterThan(0.0005);
  expect(shareOfColour(image, '#D55E00', 6)).toBeGreaterThan(0.0003);
  expect(watch.problems).toEqual([]);
});

test('results: a tt:skip-animation event jumps to the end', async ({ page }) => {
  await openWorld(page, session('results', plan('collect-everything-buried').slice(0, 1), {}), 'results');
  await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 5_000 }).toContain('tt:animation-start');
  await page.evaluate(() => window.dispatchEvent(new CustomEvent('tt:skip-animation')));
  await expect(page.locator('#world canvas')).toHaveAttribute('data-world-animation', 'done', { timeout: 2_000 });
  expect((await events(page)).filter((e) => e.type === 'tt:animation-done').map((e) => e.detail)).toEqual([{ round: 1, skipped: true }]);
});

test('results under reduced motion: the end state at once, no animation, and the outcome charts', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openWorld(page, session('results', plan('collect-everything-buried').slice(0, 1), {}), 'results');
  const canvas = page.locator('#world canvas');
  await expect(canvas).toHaveAttribute('data-world-animation', 'done');
  const seen = await events(page);
  expect(seen.map((e) => e.type)).toEqual(['tt:animation-done']);
  expect(shareOfColour(await worldPixels(page), '#E69F00', 6)).toBeGreaterThan(0.0005);
  // The charts: drawn over the park, described by the panel's note, which names tables of the same numbers.
  await expect(canvas).toHaveAttribute('data-world-charts', 'results');
  await expect(canvas).toHaveAttribute('aria-describedby', 'world-charts-note');
  await expect(page.locator('#world-charts-note')).toContainText('the tables in this panel give the same numbers');
  const byRound = page.getByRole('table', { name: 'Revenue, profit and trust by round' });
  await expect(byRound.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Results by ad' }).getByRole('columnheader', { name: 'Clicks' })).toBeVisible();
  await page.waitForTimeout(300);
  const image = await worldPixels(page);
  const lower = { ...image, data: image.data.subarray(Math.floor(image.height * 0.6) * image.width * image.channels), height: image.height - Math.floor(image.height * 0.6) };
  // Revenue and clicks bars (bluish green) and the creepy bars' hatching (orange) in the lower part.
  expect(shareOfColour(lower, '#009E73', 4)).toBeGreaterThan(0.002);
  expect(shareOfColour(lower, '#FFFFFF', 2)).toBeGreaterThan(0.2);
});

test('the colour-blind-safe palette: segments, reactions and charts switch colours; legends say what they mean', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const round = plan('bundled-grey-zone')[0]!;
  const segments = [...(round.segments as { id: string }[])].sort((a, b) => (a.id === 'commuters' ? -1 : b.id === 'commuters' ? 1 : 0));
  await openWorld(page, session('segment', [], { ...round, segments }), 'segment');
  const legend = page.getByRole('list', { name: 'Segments in the neighbourhood' });
  // The chip shows the letter; the text says it again for screen readers, with the ring's pattern.
  await expect(legend.getByRole('listitem').first()).toHaveText(/^AA: Commuters \(solid ring\)$/);
  const chip = page.locator('.legend-chip').first();
  await expect(chip).toHaveCSS('background-color', 'rgb(204, 121, 167)');
  await page.waitForTimeout(400);
  expect(shareOfColour(await worldPixels(page), '#CC79A7', 6)).toBeGreaterThan(0.0015);

  // The labelled toggle in the settings; the world and the legend follow at once.
  await page.getByText('Settings', { exact: true }).click();
  await page.getByLabel('Colour-blind-safe colours').check();
  await expect(page.locator('html')).toHaveAttribute('data-palette', 'colourBlind');
  await expect(chip).toHaveCSS('background-color', 'rgb(0, 68, 136)');
  await page.getByText('Settings', { exact: true }).click();
  await expect
    .poll(async () => shareOfColour(await worldPixels(page), '#004488', 6), { timeout: 5_000 })
    .toBeGreaterThan(0.0015);
  expect(shareOfColour(await worldPixels(page), '#CC79A7', 6)).toBeLessThan(0.0002);
  await page.screenshot({ path: `${SCREENS}/world-segment-colour-blind.png` });

  // Saved with the other settings: a reload keeps it.
  expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY)) ?? '{}')).toMatchObject({ palette: 'colourBlind' });
});

test('sound: turned on with its toggle, the round plays cues; turned off, it stops at once', async ({ page }) => {
  const round = plan('collect-everything-buried')[0]!;
  await openWorld(page, session('serve', [], round), 'serve', { sound: true });
  await page.getByRole('button', { name: 'Play the round' }).click();
  await expect.poll(async () => (await page.evaluate(() => window.__audio!)).tones, { timeout: 10_000 }).toBeGreaterThan(3);
  const on = await page.evaluate(() => window.__audio!);
  expect(on.contexts).toBe(1);
  expect(on.state).toBe('running');
  await page.getByRole('button', { name: 'Skip to the results' }).click();

  await page.getByText('Settings', { exact: true }).click();
  await page.getByLabel('Sound effects (short tones made in the browser)').uncheck();
  await expect.poll(async () => (await page.evaluate(() => window.__audio!)).state).toBe('suspended');
  const off = (await page.evaluate(() => window.__audio!)).tones;
  // The debrief's headlines would sound if sound were on.
  await page.getByRole('button', { name: 'Debrief' }).click();
  await page.waitForTimeout(500);
  expect((await page.evaluate(() => window.__audio!)).tones).toBe(off);
});

test('the world never swallows keys meant for form fields', async ({ page }) => {
  await openWorld(page, session('collect', [], plan('bundled-grey-zone')[0]!), 'collect');
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'probe';
    input.setAttribute('aria-label', 'probe');
    const select = document.createElement('select');
    select.id = 'probe-select';
    select.setAttribute('aria-label', 'probe select');
    for (const value of ['age', 'region', 'genre']) select.append(new Option(value, value));
    document.body.prepend(input, select);
  });
  await page.locator('#probe').click();
  await page.keyboard.type('Runners and walkers');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Space');
  expect(await page.locator('#probe').inputValue()).toBe('Runners and walke s');
  // Arrow keys change a focused select (Phaser captures no key).
  await page.keyboard.press('Tab');
  await expect(page.locator('#probe-select')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#probe-select')).toHaveValue('genre');
});

for (const size of [
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`the world fits and stays crisp at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    await openWorld(page, session('collect', [], plan('bundled-grey-zone')[0]!), 'collect');
    const fit = await page.locator('#world canvas').evaluate((canvas) => {
      const box = canvas.getBoundingClientRect();
      return { pixelWidth: (canvas as HTMLCanvasElement).width, cssWidth: box.width };
    });
    expect(fit.pixelWidth).toBe(Math.round(fit.cssWidth));
    // Signal arcs are drawn at every size: count their pixels (a share of the area would shrink
    // with the screen, as the figures do, and sit at the edge of any fixed threshold on a tablet).
    await expect
      .poll(async () => {
        const image = await worldPixels(page);
        return shareOfColour(image, '#56B4E9', 6) * image.width * image.height;
      }, { timeout: 8000 })
      .toBeGreaterThan(200);
    await page.screenshot({ path: `${SCREENS}/world-collect-${size.width}x${size.height}.png` });
  });
}

for (const size of [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`the outcome charts fit the world's area at ${size.width}×${size.height}`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize(size);
    const first = plan('collect-everything-buried')[0]!;
    await openWorld(page, session('final', [first, {}, {}, {}], {}), 'final');
    await expect(page.locator('#world canvas')).toHaveAttribute('data-world-charts', 'final');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENS}/world-charts-final-${size.width}x${size.height}.png` });
    // The panel stays beside the charts, never under them.
    const area = await page.locator('[data-world-area]').boundingBox();
    const panel = await page.locator('.game-panel').boundingBox();
    expect(area!.x + area!.width).toBeLessThanOrEqual(panel!.x + 1);
  });
}

test.describe('on a HiDPI screen (device pixel ratio 2)', () => {
  test.use({ deviceScaleFactor: 2 });
  test('the canvas has a pixel per device pixel, the neighbourhood and the charts fit as at ratio 1', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openWorld(page, session('results', plan('collect-everything-buried').slice(0, 1), {}), 'results');
    const canvas = page.locator('#world canvas');
    await expect(canvas).toHaveAttribute('data-world-charts', 'results');
    const fit = await canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const box = c.getBoundingClientRect();
      return { pixelWidth: c.width, pixelHeight: c.height, cssWidth: box.width, cssHeight: box.height };
    });
    expect(fit.cssWidth).toBe(1366);
    // Sizes are floored to whole pixels, so a fractional stage can leave a device pixel over.
    expect(Math.abs(fit.pixelWidth - 2 * fit.cssWidth)).toBeLessThanOrEqual(1);
    expect(Math.abs(fit.pixelHeight - 2 * fit.cssHeight)).toBeLessThanOrEqual(1);
    await page.waitForTimeout(300);
    // The screenshot is at device resolution (2732 px wide): figures and chart text drawn at it.
    const image = decodePng(await page.screenshot({ path: `${SCREENS}/world-results-hidpi.png` }));
    expect(image.width).toBe(2732);
    expect(shareOfColour(image, '#E69F00', 6)).toBeGreaterThan(0.0005);
  });
});
