import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';

// A browser with WebGL switched off (old school laptops, locked-down policies).
test.use({ launchOptions: chromiumLaunchOptions(['--disable-3d-apis']) });

test('without WebGL the page says so in the reader’s language instead of going blank', async ({ page }) => {
  const uncaught: string[] = [];
  page.on('pageerror', (error) => uncaught.push(error.message));

  await page.goto('/?lang=es');
  await expect(page.getByRole('heading', { level: 1, name: 'Tracks & Targets' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('WebGL está desactivado');
  await expect(page.locator('body')).toHaveAttribute('data-tt-state', 'no-webgl');
  await expect(page.locator('#world canvas')).toHaveCount(0);
  expect(uncaught).toEqual([]);
});
