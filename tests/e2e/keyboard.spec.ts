import { expect, test } from '@playwright/test';
import { tabTo, tabToSelector } from './gameHelpers';
import { waitForGame } from './pageWatch';

test.setTimeout(240_000);
test.use({ reducedMotion: 'reduce' });

test('a whole game with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await waitForGame(page);
  await tabTo(page, /^Play$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Start a game' })).toBeFocused();
  await tabTo(page, /Nickname/);
  await page.keyboard.type('Kai');
  await tabTo(page, /Tunestream: your first quarter of ads/);
  await page.keyboard.press('Space');
  await tabTo(page, /^Start$/);
  await page.keyboard.press('Enter');

  for (let round = 1; round <= 4; round++) {
    await expect(page.locator('#phase-heading')).toBeFocused();
    await tabTo(page, /^Collect data$/);
    await page.keyboard.press('Enter');
    await expect(page.locator('#phase-heading')).toHaveText('Collect');
    if (round === 1) {
      await tabTo(page, /Listening history/);
      await page.keyboard.press('Space');
      await expect(page.getByLabel('Listening history')).toBeChecked();
    }
    await tabTo(page, /^Build segments$/);
    await page.keyboard.press('Enter');
    if (round === 1) {
      await tabTo(page, /^Add a segment$/);
      await page.keyboard.press('Enter');
      await tabTo(page, /Attribute/);
      // The first attribute the data reveals is offered first; arrow keys change a focused select.
      await expect(page.getByLabel('Attribute')).toHaveValue('genre');
      await page.keyboard.press('ArrowDown');
      await expect(page.getByLabel('Attribute')).toHaveValue('interest');
    }
    await tabTo(page, /^Serve ads$/);
    await page.keyboard.press('Enter');
    if (round === 1) {
      await tabToSelector(page, '#serve-live_nights-segment');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(page.locator('#serve-live_nights-segment')).toHaveValue('segment_1');
    }
    await tabTo(page, /^Play the round$/);
    await page.keyboard.press('Enter');
    const skip = page.getByRole('button', { name: 'Skip to the results' });
    if (await skip.isVisible()) {
      await tabTo(page, /^Skip to the results$/);
      await page.keyboard.press('Enter');
    }
    await tabTo(page, /^Debrief$/);
    await page.keyboard.press('Enter');
    // Answer each question with its first option: Tab into the group, Space selects.
    const questions = await page.locator('.quiz fieldset').count();
    for (let q = 0; q < questions; q++) {
      await tabToSelector(page, `.quiz fieldset:nth-of-type(${q + 1}) input[type="radio"]`);
      await page.keyboard.press('Space');
    }
    if (questions > 0) {
      await tabTo(page, /^Check my answers$/);
      await page.keyboard.press('Enter');
    }
    await tabTo(page, round < 4 ? /^Next round$/ : /^Final report$/);
    await page.keyboard.press('Enter');
  }
  await expect(page.locator('#phase-heading')).toHaveText('Final report');
  await expect(page.locator('.final-score')).toContainText('/ 100');
});
