import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { watchPage } from './pageWatch';

const FIXTURES = 'tests/fixtures/packs';
const SCREENS = 'test-results/screens';

async function openPacks(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lesson packs' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Lesson packs' })).toBeFocused();
}

test.beforeAll(async () => {
  await mkdir(SCREENS, { recursive: true });
});

test('instructor sees the built-in packs with their chapters', async ({ page, baseURL }) => {
  const watch = await watchPage(page, baseURL ?? '');
  await openPacks(page);
  const builtIn = page.getByRole('region', { name: 'Built-in packs' });
  const card = builtIn.getByRole('listitem').filter({ hasText: 'Tunestream: your first quarter of ads' });
  await expect(card).toContainText('4 rounds');
  await card.getByText('Textbook chapters').click();
  await expect(card).toContainText('Essentials of Marketing (17th ed.), ch. 4: segmentation & positioning');
  await page.screenshot({ path: `${SCREENS}/packs.png`, fullPage: true });
  expect(watch.problems).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
});

test('loads a pack from a .zip file and keeps it after a reload', async ({ page }) => {
  await openPacks(page);
  const zip = zipSync({
    'pack.json': readFileSync(`${FIXTURES}/with-image/pack.json`),
    'images/street.svg': readFileSync(`${FIXTURES}/with-image/images/street.svg`),
  });
  await page.locator('#pack-file').setInputFiles({ name: 'with-image.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await expect(page.getByRole('status').filter({ hasText: 'is loaded' })).toHaveText('“Tunestream: your first quarter of ads” is loaded.');
  const yours = page.getByRole('region', { name: 'Your packs' });
  await expect(yours.locator('[data-pack-id="with-image"]')).toBeVisible();

  await page.reload();
  await page.getByRole('button', { name: 'Lesson packs' }).click();
  await expect(page.getByRole('region', { name: 'Your packs' }).locator('[data-pack-id="with-image"]')).toBeVisible();
  await page.getByRole('button', { name: 'Remove “Tunestream: your first quarter of ads”' }).click();
  await expect(page.getByRole('region', { name: 'Your packs' })).toContainText('You have not loaded any pack yet.');
});

test('loads a pack from a link (?pack=…)', async ({ page }) => {
  await page.route((url) => url.pathname === '/class-packs/minimal.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: readFileSync('lessons/examples/minimal-pack/pack.json', 'utf8') }),
  );
  await page.goto('/?pack=/class-packs/minimal.json');
  await expect(page.getByRole('heading', { level: 2, name: 'Lesson packs' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'is loaded' })).toHaveText('“A one-round example pack” is loaded.');
  await expect(page.getByRole('region', { name: 'Your packs' }).locator('[data-pack-id="minimal-example"]')).toContainText('1 round');
});

test("shows a broken pack's problems in plain language", async ({ page }) => {
  await openPacks(page);
  await page.locator('#pack-file').setInputFiles(`${FIXTURES}/quiz-answer-out-of-range/pack.json`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('“pack.json” could not be loaded');
  await expect(alert).toContainText('There is 1 problem to fix in the pack:');
  await expect(alert).toContainText('lesson.rounds[0].quiz[0].answer answer 7 is out of range; this question has 3 options, so use 0 to 2');
  await page.screenshot({ path: `${SCREENS}/packs-problems.png`, fullPage: true });

  await page.locator('#pack-file').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expect(alert).toContainText('not a readable zip file');
});

test('pack text is shown as text, never as HTML', async ({ page }) => {
  await openPacks(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.locator('#pack-file').setInputFiles(`${FIXTURES}/html-in-text/pack.json`);
  const card = page.locator('[data-pack-id="html-title"]');
  await expect(card.getByRole('heading', { level: 4 })).toHaveText('<img src=x onerror=alert(1)>Hacked');
  await expect(card.locator('img, script')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("a loaded pack's image is shown as an image in the briefing", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openPacks(page);
  const zip = zipSync({
    'pack.json': readFileSync(`${FIXTURES}/with-image/pack.json`),
    'images/street.svg': readFileSync(`${FIXTURES}/with-image/images/street.svg`),
  });
  await page.locator('#pack-file').setInputFiles({ name: 'with-image.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await expect(page.getByRole('status').filter({ hasText: 'is loaded' })).toBeVisible();
  await page.getByRole('button', { name: 'Back to the title screen' }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByLabel('Nickname').fill('Ana');
  await page.locator('input[name="pack"][value="with-image"]').check();
  await page.getByRole('button', { name: 'Start' }).click();
  const image = page.getByRole('img', { name: 'A street with listeners' });
  await expect(image).toBeVisible();
  expect(await image.getAttribute('src')).toMatch(/^blob:/);
  expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
});
