import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENS = 'test-results/screens';

/** axe-core on the current page: no serious or critical violation. */
export async function auditAccessibility(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
}

export interface Labels {
  play: string;
  nickname: string;
  start: string;
  toCollect: string;
  toSegment: string;
  toServe: string;
  playRound: string;
  skip: string;
  toDebrief: string;
  checkAnswers: string;
  nextRound: string;
  toFinal: string;
  addSegment: string;
  exportScore: string;
}

export const EN: Labels = {
  play: 'Play',
  nickname: 'Nickname',
  start: 'Start',
  toCollect: 'Collect data',
  toSegment: 'Build segments',
  toServe: 'Serve ads',
  playRound: 'Play the round',
  skip: 'Skip to the results',
  toDebrief: 'Debrief',
  checkAnswers: 'Check my answers',
  nextRound: 'Next round',
  toFinal: 'Final report',
  addSegment: 'Add a segment',
  exportScore: 'Export score file',
};

export const ES: Labels = {
  play: 'Jugar',
  nickname: 'Apodo',
  start: 'Empezar',
  toCollect: 'Recoger datos',
  toSegment: 'Crear segmentos',
  toServe: 'Servir anuncios',
  playRound: 'Jugar la ronda',
  skip: 'Saltar a los resultados',
  toDebrief: 'Análisis',
  checkAnswers: 'Comprobar mis respuestas',
  nextRound: 'Siguiente ronda',
  toFinal: 'Informe final',
  addSegment: 'Añadir un segmento',
  exportScore: 'Exportar archivo de puntuación',
};

export async function startGame(page: Page, l: Labels, packId: string, nickname = 'Ana'): Promise<void> {
  await page.getByRole('button', { name: l.play, exact: true }).click();
  await page.getByLabel(l.nickname).fill(nickname);
  await page.locator(`input[name="pack"][value="${packId}"]`).check();
  await page.getByRole('button', { name: l.start }).click();
  await expect(page.locator('#phase-heading')).toBeVisible();
}

/** Plays the current round with simple, valid choices through roles and labels. */
export async function playRound(page: Page, l: Labels, shoot?: (name: string) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: l.toCollect }).click();
  const boxes = page.locator('.phase--collect input[type="checkbox"]:not(:disabled)');
  const n = await boxes.count();
  for (let k = 0; k < Math.min(n, 3); k++) await boxes.nth(k).check();
  await shoot?.('collect');
  await page.getByRole('button', { name: l.toSegment }).click();
  const add = page.getByRole('button', { name: l.addSegment });
  if ((await page.locator('.phase--segment fieldset.segment').count()) === 0 && (await add.isEnabled())) await add.click();
  await shoot?.('segment');
  await page.getByRole('button', { name: l.toServe }).click();
  const selects = page.locator('.phase--serve select:not(:disabled)');
  const s = await selects.count();
  for (let k = 0; k < Math.min(s, 3); k++) {
    const options = await selects.nth(k).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const value = options.find((v) => v !== '' && v !== 'everyone') ?? 'everyone';
    await selects.nth(k).selectOption(value);
  }
  await shoot?.('serve');
  await page.getByRole('button', { name: l.playRound }).click();
  await shoot?.('results-animation');
  // With motion, skip the animation; it may end first on a loaded machine (the button goes with it).
  const skip = page.getByRole('button', { name: l.skip });
  if (await skip.isVisible()) await skip.click({ timeout: 5_000 }).catch(() => undefined);
  await expect(page.getByRole('button', { name: l.toDebrief })).toBeVisible();
  // Phaser draws the outcome charts over the world once the round has played out.
  await expect(page.locator('#world canvas')).toHaveAttribute('data-world-charts', 'results');
  await shoot?.('results');
  await page.getByRole('button', { name: l.toDebrief }).click();
  const questions = page.locator('.quiz fieldset');
  const q = await questions.count();
  for (let k = 0; k < q; k++) await questions.nth(k).getByRole('radio').first().check();
  if (q > 0) await page.getByRole('button', { name: l.checkAnswers }).click();
  await shoot?.('debrief');
}

/** Presses Tab until the focused element's accessible text matches, then returns (keyboard only). */
export async function tabTo(page: Page, matches: RegExp, limit = 120): Promise<void> {
  for (let k = 0; k < limit; k++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : '';
      return `${label ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el instanceof HTMLInputElement ? el.value : el.textContent ?? ''}`.trim();
    });
    if (matches.test(name)) return;
  }
  throw new Error(`no focusable element matching ${matches} within ${limit} Tab presses`);
}

/** Presses Tab until the focused element matches a CSS selector (keyboard only). */
export async function tabToSelector(page: Page, selector: string, limit = 150): Promise<void> {
  for (let k = 0; k < limit; k++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`no focusable element matching ${selector} within ${limit} Tab presses`);
}
