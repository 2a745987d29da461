/**
 * A class, end to end: the instructor sets up a class, two students play it (one from the link,
 * one typing the code), export their scores, one edits his by hand, and the instructor's
 * dashboard flags the edited file and exports a gradebook.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readPack } from '../../src/cli/cliSupport';
import type { ScoreFile } from '../../src/scores/scoreFile';
import { verifyScoreText } from '../../src/scores/verify';
import { auditAccessibility, EN, playRound, SCREENS } from './gameHelpers';
import { waitForGame, watchPage } from './pageWatch';

test.setTimeout(300_000);
test.use({ reducedMotion: 'reduce' });

const ROUNDS = 2;

/** Plays the class's rounds from the setup screen (nickname typed, code already there) and exports. */
async function playClassGame(page: Page, nickname: string): Promise<{ json: string; csv: string; xapi: string; final: string }> {
  await page.getByLabel('Nickname').fill(nickname);
  await expect(page.locator('#class-code-status')).toContainText('Class game: “Tunestream: your first quarter of ads”, 2 rounds');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('#phase-heading')).toBeVisible();
  await expect(page.locator('.round-label')).toContainText(`Round 1 of ${ROUNDS}`);
  for (let r = 1; r <= ROUNDS; r++) {
    await playRound(page, EN);
    await page.getByRole('button', { name: r < ROUNDS ? EN.nextRound : EN.toFinal }).click();
  }
  await expect(page.locator('#phase-heading')).toHaveText('Final report');
  const final = (await page.locator('.final-score').getAttribute('data-final-score'))!;
  const save = async (click: () => Promise<void>) => {
    const download = page.waitForEvent('download');
    await click();
    const file = await download;
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  };
  const json = await save(() => page.getByRole('button', { name: EN.exportScore }).last().click());
  expect(json.name).toMatch(new RegExp(`^${nickname}-tunestream-basics-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  // The other formats are in the game menu.
  await page.getByText('Settings').click();
  const csv = await save(() => page.getByRole('button', { name: 'Spreadsheet row (CSV)' }).click());
  expect(csv.name).toMatch(/\.csv$/);
  const xapi = await save(() => page.getByRole('button', { name: 'Learning record (xAPI)' }).click());
  expect(xapi.name).toMatch(/\.xapi\.json$/);
  return { json: json.text, csv: csv.text, xapi: xapi.text, final };
}

async function newStudent(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1366, height: 768 } });
  return context.newPage();
}

test('an instructor sets up a class; two students play it and export; the dashboard flags the file one edited and grades the other', async ({ page, browser, baseURL }) => {
  await mkdir(SCREENS, { recursive: true });
  const watch = await watchPage(page, baseURL ?? '');

  // The instructor sets up a two-round class.
  await page.goto('/');
  await waitForGame(page);
  await page.getByRole('button', { name: 'Set up a class' }).click();
  await expect(page.getByRole('heading', { name: 'Set up a class' })).toBeFocused();
  await page.getByRole('radio', { name: /Tunestream: your first quarter of ads/ }).check();
  await page.getByLabel('Number of rounds').selectOption(String(ROUNDS));
  await page.getByLabel('Listeners in the market').selectOption('5000');
  await page.getByLabel('Change the scoring weights').check();
  await page.getByLabel('Profit', { exact: true }).fill('0.9');
  await page.getByRole('button', { name: 'Create class code' }).click();
  // A weight outside the pack's range is explained, and nothing is created.
  await expect(page.getByRole('alert')).toContainText('The Profit weight must be between 0.1 and 0.6.');
  await page.getByLabel('Profit', { exact: true }).fill('0.4');
  await page.getByRole('button', { name: 'Create class code' }).click();
  await expect(page.getByRole('heading', { name: 'Your class is ready' })).toBeFocused();
  const code = (await page.locator('[data-class-code]').textContent())!;
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const link = (await page.locator('.class-link a').getAttribute('href'))!;
  expect(link).toBe(`${baseURL}/?class=${code}`);
  await expect(page.getByRole('article', { name: 'Class sheet' })).toContainText('Essentials of Marketing (17th ed.), ch. 4');
  await page.screenshot({ path: `${SCREENS}/class-setup.png`, fullPage: true });
  await auditAccessibility(page, 'class setup');

  // Student 1 opens the class link.
  const ana = await newStudent(browser);
  await ana.goto(link);
  await waitForGame(ana);
  await expect(ana.getByLabel('Class code (if your instructor gave you one)')).toHaveValue(code);
  await expect(ana.getByRole('group', { name: 'Lesson' })).toBeHidden();
  await ana.screenshot({ path: `${SCREENS}/class-student-setup.png` });
  await auditAccessibility(ana, 'student setup with a class code');
  const anaFiles = await playClassGame(ana, 'Ana');

  // Student 2 types the code from the board: a typo is caught, then the sloppy but right code works.
  const ben = await newStudent(browser);
  await ben.goto('/');
  await waitForGame(ben);
  await ben.getByRole('button', { name: 'Play', exact: true }).click();
  const typo = code.slice(0, 5) + (code[5] === '7' ? '8' : '7') + code.slice(6);
  await ben.getByLabel('Class code (if your instructor gave you one)').fill(typo);
  await expect(ben.locator('#class-code-status')).toHaveText(/has a typo/);
  await ben.getByLabel('Class code (if your instructor gave you one)').fill(code.toLowerCase().replace(/-/g, ' '));
  const benFiles = await playClassGame(ben, 'Ben');

  // Both played the class's market, and their files are exactly what the verifier replays.
  const pack = readPack('lessons/tunestream-basics');
  for (const [files, name] of [
    [anaFiles, 'Ana'],
    [benFiles, 'Ben'],
  ] as const) {
    const file = JSON.parse(files.json) as ScoreFile;
    expect(file).toMatchObject({ classCode: code, nickname: name, complete: true, replay: { listeners: 5000 }, score: { weights: { profit: 0.4 } } });
    expect(file.rounds).toHaveLength(ROUNDS);
    expect(file.score.total.toFixed(1)).toBe(files.final);
    expect(verifyScoreText(`${name}.json`, files.json, [pack], code).status).toBe('ok');
    const [header, row] = files.csv.trim().split('\r\n');
    expect(header).toMatch(/^nickname,class_code,pack_id,/);
    expect(row).toContain(`${name},${code},tunestream-basics,1.0.0,${ROUNDS},yes,${Number(files.final)}`);
    const statements = JSON.parse(files.xapi) as { verb: { id: string }; result: { score: { scaled: number } }; actor: { account: { name: string } } }[];
    expect(statements).toHaveLength(ROUNDS + 1);
    expect(statements.every((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/completed' && s.actor.account.name === name)).toBe(true);
    expect(statements.at(-1)!.result.score.scaled).toBeCloseTo(file.score.total / 100, 3);
  }
  const anaFile = JSON.parse(anaFiles.json) as ScoreFile;
  const benFile = JSON.parse(benFiles.json) as ScoreFile;
  expect(anaFile.replay.seed).toBe(benFile.replay.seed);

  // Ben edits his score by hand.
  const dir = test.info().outputPath('hand-in');
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/Ana.json`, anaFiles.json);
  await writeFile(`${dir}/Ben.json`, JSON.stringify({ ...benFile, score: { ...benFile.score, total: 99 } }, null, 2));

  // The instructor drops the hand-ins on the dashboard: Ben's file is flagged, Ana's is graded.
  await page.getByRole('button', { name: 'Check score files' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Check score files' })).toBeFocused();
  // Coming from the class just set up, the dashboard checks files against it.
  await expect(page.getByLabel('Class code')).toHaveValue(code);
  await expect(page.locator('#dash-class-message')).toContainText(`Checking against class ${code}`);
  await page.getByLabel('Score files').setInputFiles([`${dir}/Ana.json`, `${dir}/Ben.json`]);
  await expect(page.getByRole('status').filter({ hasText: 'files checked.' })).toHaveText('2 files checked.', { timeout: 60_000 });
  const table = page.getByRole('table', { name: /Class table/ });
  await expect(table.getByRole('row').filter({ hasText: 'Ana.json' })).toContainText('Verified');
  await expect(table.getByRole('row').filter({ hasText: 'Ben.json' })).toContainText('Edited');
  await expect(table.getByRole('row').filter({ hasText: 'Ben.json' })).toContainText('score.total says 99');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download gradebook (CSV)' }).click();
  const gradebook = await readFile((await (await download).path())!, 'utf8');
  const rows = gradebook.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(rows).toHaveLength(3);
  expect(rows[1]).toMatch(new RegExp(`^Ana,.*,${Math.round(anaFile.score.total * 10) / 10},Verified by replay; 2 of 2 rounds\\.$`));
  expect(rows[2]).toMatch(/^Ben,.*,,"?Not counted: the file was edited\. score\.total says 99, the replay gives [\d.]+\."?$/);

  expect(watch.problems).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
});
