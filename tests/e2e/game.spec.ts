import { mkdir, readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { auditAccessibility, EN, ES, playRound, SCREENS, startGame, type Labels } from './gameHelpers';
import { waitForGame } from './pageWatch';

test.setTimeout(240_000);
// The world keeps still under reduced motion, so software rendering in CI does not slow the panels.
test.use({ reducedMotion: 'reduce' });

test.beforeAll(async () => {
  await mkdir(SCREENS, { recursive: true });
});

const PACKS: [id: string, rounds: number][] = [
  ['tunestream-basics', 4],
  ['segmentation-positioning', 4],
  ['information-privacy', 4],
  ['advertising-targeting', 5],
  ['ethics-responsibility', 5],
];

async function finishAndExport(page: Page, l: Labels): Promise<void> {
  const finalScore = await page.locator('.final-score').getAttribute('data-final-score');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: l.exportScore }).last().click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^Ana-[a-z-]+-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8')) as { score: { total: number }; format: string; replay: { rounds: unknown[] } };
  expect(exported.format).toBe('tracks-and-targets/score');
  expect(exported.score.total.toFixed(1)).toBe(finalScore);
}

for (const [id, rounds] of PACKS) {
  test(`a student plays all ${rounds} rounds of ${id} and exports the score of the final report`, async ({ page }) => {
    await page.goto('/');
    await waitForGame(page);
    await startGame(page, EN, id);
    for (let r = 1; r <= rounds; r++) {
      await playRound(page, EN);
      await page.getByRole('button', { name: r < rounds ? EN.nextRound : EN.toFinal }).click();
    }
    await expect(page.locator('#phase-heading')).toHaveText('Final report');
    await finishAndExport(page, EN);
  });
}

test('every screen: axe finds no serious or critical violation, and screenshots at 1366×768', async ({ page }) => {
  const shoot = async (name: string) => {
    await page.screenshot({ path: `${SCREENS}/game-${name}.png` });
    await auditAccessibility(page, name);
  };
  await page.goto('/');
  await waitForGame(page);
  await auditAccessibility(page, 'title');
  await page.getByRole('button', { name: 'Lesson packs' }).click();
  await auditAccessibility(page, 'packs');
  await page.getByRole('button', { name: 'Back to the title screen' }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await shoot('setup');
  await page.getByLabel('Nickname').fill('Ana');
  await page.locator('input[name="pack"][value="tunestream-basics"]').check();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('#world canvas')).toHaveAttribute('aria-label', /^The neighbourhood: Tunestream listeners/);
  await shoot('briefing');
  await page.getByRole('button', { name: EN.toCollect }).click();
  const steps = page.getByRole('navigation', { name: 'Steps of the round' });
  await expect(steps.locator('[aria-current="step"]')).toHaveText('Collect');
  await expect(page.locator('[data-campaign], .phase--collect')).toContainText('$0.10 per 1,000 listeners');
  await page.getByRole('button', { name: 'Back' }).click();
  await playRound(page, EN, shoot);
  for (let r = 2; r <= 4; r++) {
    await page.getByRole('button', { name: 'Next round' }).click();
    await playRound(page, EN);
  }
  await page.getByRole('button', { name: 'Final report' }).click();
  await shoot('final');
});

test.describe('with motion', () => {
  test.use({ reducedMotion: 'no-preference' });
  test('the round plays out in the world and the animation can be skipped', async ({ page }) => {
    await page.goto('/');
    await waitForGame(page);
    await startGame(page, EN, 'tunestream-basics');
    await page.getByRole('button', { name: EN.toCollect }).click();
    await page.getByLabel('Motion sensors').check();
    await page.getByRole('button', { name: EN.toSegment }).click();
    await page.getByRole('button', { name: EN.addSegment }).click();
    await page.getByLabel('Attribute').selectOption('runner');
    await page.getByRole('button', { name: EN.toServe }).click();
    await page.locator('#serve-stride_shoes-segment').selectOption('segment_1');
    await page.getByRole('button', { name: EN.playRound }).click();
    // Skip at once: on a slow machine even a screenshot can outlast the 5 s animation (the world
    // tests take the mid-animation screenshots).
    const skip = page.getByRole('button', { name: EN.skip });
    await skip.click();
    await expect(page.getByRole('table', { name: 'Key figures of the round' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Results by ad' })).toContainText('Stride running shoes');
  });
});

test('in Spanish, and a reload mid-round returns to the same step with nothing lost', async ({ page }) => {
  await page.goto('/?lang=es');
  await waitForGame(page);
  await startGame(page, ES, 'tunestream-basics');
  await page.getByRole('button', { name: ES.toCollect }).click();
  await page.getByLabel('Historial de escucha').check();
  await page.getByRole('button', { name: ES.toSegment }).click();
  await page.getByRole('button', { name: ES.addSegment }).click();
  await page.getByLabel('Atributo').selectOption('genre');
  await expect(page.locator('.segment-live')).toContainText('miembros');

  await page.reload();
  await expect(page.locator('#phase-heading')).toHaveText('Segmentar');
  await expect(page.getByLabel('Atributo')).toHaveValue('genre');
  await page.getByRole('button', { name: 'Atrás' }).click();
  await expect(page.getByLabel('Historial de escucha')).toBeChecked();

  // Switching language keeps the game.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('#phase-heading')).toHaveText('Collect');
  await expect(page.getByLabel('Listening history')).toBeChecked();
  await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('button', { name: ES.toSegment }).click();
  await page.getByRole('button', { name: ES.toServe }).click();
  await page.locator('#serve-live_nights-segment').selectOption('segment_1');
  await page.getByRole('button', { name: ES.playRound }).click();
  // Reduced motion: no animation, the dashboard comes at once.
  await expect(page.getByRole('table', { name: 'Cifras clave de la ronda' })).toBeVisible();
});

test('a corrupt saved game gives a clear message and a fresh start', async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('tracks-and-targets.session', '{"version": 1, "pack": ');
      sessionStorage.setItem('seeded', '1');
    }
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('Your saved game could not be read');
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
});
