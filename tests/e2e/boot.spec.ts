import { mkdir } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { decodePng, shareOfColour } from './png';
import { waitForGame, watchPage } from './pageWatch';

const SCREENS = 'test-results/screens';

test.beforeAll(async () => {
  await mkdir(SCREENS, { recursive: true });
});

test('title screen boots: heading, Phaser canvas, no errors, nothing from other origins', async ({
  page,
  baseURL,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const watch = await watchPage(page, baseURL ?? '');

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Tracks & Targets' })).toBeVisible();
  await expect(page).toHaveTitle('Tracks & Targets');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await waitForGame(page);
  const canvas = page.locator('#world canvas');
  await expect(canvas).toHaveCount(1);
  await expect(canvas).toHaveAttribute('role', 'img');
  await expect(page.locator('body')).toHaveAttribute('data-renderer', 'webgl');
  await expect(page.getByRole('status')).toHaveText('The neighbourhood is ready.');

  // The canvas really shows the title screen: paper background, dark title text, blue target.
  const image = decodePng(await canvas.screenshot());
  expect(image.width).toBe(1366);
  expect(shareOfColour(image, '#F7F5F0')).toBeGreaterThan(0.5);
  expect(shareOfColour(image, '#1F2328')).toBeGreaterThan(0.005);
  expect(shareOfColour(image, '#0072B2')).toBeGreaterThan(0.002);

  await page.screenshot({ path: `${SCREENS}/title.png` });

  // The built page carries the policy: no eval, no inline scripts, nothing from other origins.
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self';");
  expect(policy).not.toMatch(/unsafe-eval|unsafe-inline/);

  expect(watch.problems).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
  expect(await watch.cspViolations()).toEqual([]);
});

test('Spanish: ?lang=es translates the page, and the switcher goes back to English', async ({
  page,
  baseURL,
}) => {
  const watch = await watchPage(page, baseURL ?? '');
  await page.goto('/?lang=es');
  await waitForGame(page);

  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1, name: 'Tracks & Targets' })).toBeVisible();
  await expect(page.locator('#app-tagline')).toContainText('Llevas la publicidad de Tunestream');
  await expect(page.getByRole('group', { name: 'Idioma' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Español' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('#app-tagline')).toContainText('You run the ads at Tunestream');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

  // The choice is remembered across a reload.
  await page.goto('/');
  await waitForGame(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  expect(watch.problems).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
  expect(await watch.cspViolations()).toEqual([]);
});

for (const size of [
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`canvas fills the stage 1:1 at ${size.width}×${size.height} (crisp, no CSS scaling)`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto('/');
    await waitForGame(page);

    const fit = await page.locator('#world canvas').evaluate((element) => {
      const canvas = element as HTMLCanvasElement;
      const box = canvas.getBoundingClientRect();
      const stage = document.getElementById('world')?.getBoundingClientRect();
      return {
        pixelWidth: canvas.width,
        pixelHeight: canvas.height,
        cssWidth: box.width,
        cssHeight: box.height,
        stageWidth: stage?.width ?? 0,
        stageHeight: stage?.height ?? 0,
      };
    });
    expect(fit.cssWidth).toBe(size.width);
    expect(fit.pixelWidth).toBe(Math.round(fit.cssWidth));
    expect(fit.pixelHeight).toBe(Math.round(fit.cssHeight));
    // Scale.autoRound floors the size, so the canvas may be up to a pixel short of the stage.
    expect(fit.stageHeight - fit.cssHeight).toBeGreaterThanOrEqual(0);
    expect(fit.stageHeight - fit.cssHeight).toBeLessThan(1);

    await page.screenshot({ path: `${SCREENS}/title-${size.width}x${size.height}.png` });
  });
}
