import { readFile, mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import Papa from 'papaparse';
import { readPack } from '../../src/cli/cliSupport';
import { encodeClassCode, packRef } from '../../src/scores/classCode';
import { scenarioForCode } from '../../src/scores/classPlay';
import { scoreFileForPlan } from '../../src/scores/playScore';
import { buildScoreFile, scoreFileText, type ScoreFile } from '../../src/scores/scoreFile';
import { playPlan, type PlainDecisions } from '../../src/sim';
import { auditAccessibility, SCREENS } from './gameHelpers';
import { watchPage } from './pageWatch';

test.setTimeout(120_000);

const pack = readPack('lessons/tunestream-basics');
const SEED = 123_456;
const LISTENERS = 10_000;
const classCode = (seed: number) => encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed, rounds: 4, listeners: LISTENERS, language: 'en', weights: null });
const CLASS = classCode(SEED);
const OTHER = classCode(777);

async function plan(name: string, quiz: number[]): Promise<Partial<PlainDecisions>[]> {
  const first = (JSON.parse(await readFile(`lessons/tunestream-basics/plans/${name}.json`, 'utf8')) as { rounds: Partial<PlainDecisions>[] }).rounds[0]!;
  return quiz.map((answer, r) => (r === 0 ? { ...first, quiz: [answer] } : { quiz: [answer] }));
}

const meta = (nickname: string, startedAt = '2026-04-01T09:00:00.000Z') => ({ appVersion: '0.1.0', nickname, startedAt, exportedAt: '2026-04-01T09:45:00.000Z' });

/** An export made after `rounds` rounds of the game (verifies, but incomplete). */
function partialExport(decisions: Partial<PlainDecisions>[], rounds: number, nickname: string): ScoreFile {
  const scenario = scenarioForCode(pack.scenario, CLASS);
  const played = scenario.rounds.map((_, r) => decisions[r] ?? {}).slice(0, rounds);
  const { results } = playPlan(scenario, SEED, LISTENERS, played);
  return buildScoreFile(
    { ...meta(nickname), classCode: CLASS, exportedAt: '2026-04-01T09:20:00.000Z', pack: { id: pack.pack.id, version: pack.pack.version, hash: pack.hash } },
    { seed: SEED, listeners: LISTENERS, decisions: played, results, scenarioRounds: scenario.rounds.length },
  );
}

interface ClassFiles {
  ana: ScoreFile;
  ben: ScoreFile;
  files: { name: string; mimeType: string; buffer: Buffer }[];
}

/** Two students of the class (Ana exported twice), one edited file, one from another class, one garbage. */
async function classFiles(): Promise<ClassFiles> {
  const anaPlan = await plan('transparent-relevant', [2, 0, 0, 0]);
  const ana = scoreFileForPlan(pack, anaPlan, { ...meta('Ana'), classCode: CLASS, seed: SEED, listeners: LISTENERS });
  const ben = scoreFileForPlan(pack, await plan('collect-everything-buried', [0, 0, 1, 0]), { ...meta('Ben'), classCode: CLASS, seed: SEED, listeners: LISTENERS });
  const dan = scoreFileForPlan(pack, await plan('bundled-grey-zone', [2, 0, 0, 1]), { ...meta('Dan'), classCode: CLASS, seed: SEED, listeners: LISTENERS });
  // Dan raised his score by hand.
  const danEdited = { ...dan, score: { ...dan.score, total: 97.5 } };
  const cleo = scoreFileForPlan(pack, await plan('untargeted', [2, 0, 0, 0]), { ...meta('Cleo'), classCode: OTHER, seed: 777, listeners: LISTENERS });
  const json = (name: string, f: ScoreFile | string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(typeof f === 'string' ? f : scoreFileText(f)) });
  return {
    ana,
    ben,
    files: [
      json('Ana-tunestream-basics-2026-04-01.json', ana),
      json('Ana-early.json', partialExport(anaPlan, 2, 'Ana')),
      json('Ben-tunestream-basics-2026-04-01.json', ben),
      json('Dan-tunestream-basics-2026-04-01.json', danEdited),
      json('Cleo-tunestream-basics-2026-04-01.json', cleo),
      json('garbage.json', '{"format": "tracks-and-targets/score", "nickname": <b>oops'),
    ],
  };
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Check score files' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Check score files' })).toBeFocused();
}

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

test.beforeAll(async () => {
  await mkdir(SCREENS, { recursive: true });
});

test('the dashboard verifies a class by replay, flags edited and foreign files, merges duplicates, and exports a gradebook', async ({ page, baseURL }) => {
  const watch = await watchPage(page, baseURL ?? '');
  const { ana, ben, files } = await classFiles();
  // A class set up in this browser is offered as the expected class.
  await page.addInitScript((code) => {
    localStorage.setItem('tracks-and-targets.classes.v1', JSON.stringify([{ code, packId: 'tunestream-basics', packTitle: 'Tunestream', createdAt: '2026-04-01T08:00:00.000Z' }]));
    // A four-core machine: the files are shared among three workers.
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 4 });
  }, CLASS);
  await openDashboard(page);
  await expect(page.locator('#dash-classes option')).toHaveAttribute('value', CLASS);

  const classField = page.getByLabel('Class code');
  await classField.fill('NOT-A-CODE');
  await classField.press('Enter');
  await expect(page.locator('#dash-class-message')).toHaveText(/11 or 16 letters and digits/);
  await expect(classField).toHaveAttribute('aria-invalid', 'true');
  // Typed the way people type: lower case, spaces instead of dashes.
  await classField.fill(CLASS.toLowerCase().replace(/-/g, ' '));
  await classField.press('Enter');
  await expect(page.locator('#dash-class-message')).toHaveText(`Checking against class ${CLASS}: “Tunestream: your first quarter of ads”, 4 rounds, 10,000 listeners.`);

  await page.getByLabel('Score files').setInputFiles(files);
  await expect(page.getByRole('status').filter({ hasText: 'files checked.' })).toHaveText('6 files checked.', { timeout: 60_000 });
  await expect(page.locator('.dash-summary')).toHaveText('5 students or files: 2 verified, 1 edited, 1 from another class, 1 unreadable. 1 duplicate file was merged.');

  const table = page.getByRole('table', { name: /Class table/ });
  await expect(table.getByRole('row')).toHaveCount(6);
  await expect(row(page, 'Ana-tunestream')).toContainText('Verified');
  await expect(row(page, 'Ana-tunestream')).toContainText('Verified by replay; 4 of 4 rounds.');
  await expect(row(page, 'Ana-tunestream')).toContainText('Merged with 1 other export of the same game: Ana-early.json');
  await expect(row(page, 'Ben-tunestream')).toContainText('Verified');
  await expect(row(page, 'Dan-tunestream')).toContainText('Edited');
  await expect(row(page, 'Dan-tunestream')).toContainText('score.total says 97.5, the replay gives');
  await expect(row(page, 'Cleo-tunestream')).toContainText(`Not counted: this file is from another class (${OTHER}).`);
  await expect(row(page, 'garbage.json')).toContainText('Unreadable');
  await expect(row(page, 'garbage.json')).toContainText('Not counted:');

  // Sort by score, highest first, with the buttons in the column headers.
  const scoreHeader = table.getByRole('columnheader', { name: /Score/ });
  await scoreHeader.getByRole('button').click();
  await expect(scoreHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('button', { name: /Score/ })).toBeFocused();
  const [high, low] = [ana, ben].sort((a, b) => b.score.total - a.score.total);
  const bodyRows = table.locator('tbody tr');
  await expect(bodyRows.nth(0)).toContainText(high!.nickname);
  await expect(bodyRows.nth(1)).toContainText(low!.nickname);
  await expect(bodyRows.nth(0)).toContainText(high!.score.total.toFixed(1));
  await scoreHeader.getByRole('button').click();
  await expect(scoreHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(bodyRows.nth(0)).toContainText(low!.nickname);

  // What the class did: both verified students collected motion data (the most collected sensitive
  // signal, ahead of their account profiles), one of them voice.
  await expect(page.getByRole('heading', { name: 'What the class did (2 verified students)' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Bar chart of the scores of 2 students/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Scatter plot of 2 students/ })).toBeVisible();
  await expect(page.getByText('100% of the class collected Motion sensors at least once.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Signals collected (in at least one round)' }).getByRole('row', { name: /Voice/ })).toContainText('1 of 2');
  // Round 1's right answer is the third option: Ana chose it, Ben did not. Both got round 2's right.
  const quiz = page.getByRole('table', { name: 'Share of right answers per question' });
  await expect(quiz.getByRole('row').nth(1)).toContainText('50% (1)');
  await expect(quiz.getByRole('row').nth(2)).toContainText('100% (2)');

  await auditAccessibility(page, 'dashboard');
  // The screen scrolls inside its host: one screenshot per part, at 1366×768.
  const shots: [string, string][] = [
    ['dashboard', 'Check score files'],
    ['dashboard-table', 'The class'],
    ['dashboard-scores', 'Scores'],
    ['dashboard-choices', 'What the class chose'],
    ['dashboard-trust', 'Profit against trust'],
    ['dashboard-quiz', 'Most common harms'],
  ];
  for (const [name, heading] of shots) {
    await page.getByRole('heading', { name: heading, exact: true }).evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: `${SCREENS}/${name}.png` });
  }

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download gradebook (CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^class-${CLASS}-gradebook-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const text = await readFile((await file.path())!, 'utf8');
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, '').trim()).data;
  expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Tracks & Targets score (out of 100)', 'Feedback']);
  expect(rows.slice(1).map((r) => [r[0], r[5], r[6]])).toEqual([
    ['Ana', String(Math.round(ana.score.total * 10) / 10), 'Verified by replay; 4 of 4 rounds.'],
    ['Ben', String(Math.round(ben.score.total * 10) / 10), 'Verified by replay; 4 of 4 rounds.'],
    ['Dan', '', expect.stringMatching(/^Not counted: the file was edited\. score\.total says 97\.5, the replay gives [\d.]+\.$/)],
    ['Cleo', '', `Not counted: this file is from another class (${OTHER}).`],
  ]);

  const summaryDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download class summary (CSV)' }).click();
  const summary = Papa.parse<Record<string, string>>((await readFile((await (await summaryDownload).path())!, 'utf8')).replace(/^\uFEFF/, '').trim(), { header: true }).data;
  expect(summary.map((r) => [r.status, r.nickname])).toEqual([
    ['ok', 'Ana'],
    ['ok', 'Ben'],
    ['edited', 'Dan'],
    ['wrongClass', 'Cleo'],
    ['invalid', ''],
    ['class share', ''],
  ]);
  expect(summary.at(-1)!['signal:account_profile']).toBe('1');

  // In Spanish, the reasons are Spanish too, with Spanish figures.
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(row(page, 'Dan-tunestream')).toContainText('No cuenta: el archivo se editó. score.total dice 97,5 y la partida da');
  await expect(row(page, 'garbage.json')).toContainText('No cuenta: el archivo no es JSON válido');

  expect(watch.problems).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
  expect(await watch.cspViolations()).toEqual([]);
});

test('a zip of score files and files dropped on the page; bad files get a message and the rest still import', async ({ page }) => {
  const { files } = await classFiles();
  await openDashboard(page);
  const zip = zipSync({
    ...Object.fromEntries(files.slice(0, 3).map((f) => [`class/${f.name}`, new Uint8Array(f.buffer)])),
    'class/readme.txt': new TextEncoder().encode('hand-in folder'),
  });
  await page.getByLabel('Score files').setInputFiles([
    { name: 'hand-ins.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) },
    { name: 'evil.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync({ '../escape.json': new Uint8Array(files[0]!.buffer) })) },
    { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(5 * 1024 * 1024 + 10, 32) },
  ]);
  await expect(page.getByRole('status').filter({ hasText: 'files checked.' })).toHaveText('6 files checked.', { timeout: 60_000 });
  await expect(row(page, 'hand-ins.zip/class/Ben')).toContainText('Verified');
  await expect(row(page, 'hand-ins.zip/class/readme.txt')).toContainText('only score files (.json) and .zip files of them are checked');
  await expect(row(page, 'evil.zip')).toContainText('climbs out');
  await expect(row(page, 'huge.json')).toContainText('Not read: the file is larger than 5 MB');

  // Dropped on the drop zone (a DataTransfer of files, as a browser makes for a drop).
  const dan = files[3]!;
  await page.locator('.dropzone').evaluate((zone, file) => {
    const data = new DataTransfer();
    data.items.add(new File([file.text], file.name, { type: 'application/json' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, { name: dan.name, text: dan.buffer.toString('utf8') });
  await expect(row(page, 'Dan-tunestream')).toContainText('Edited', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Clear the list' }).click();
  await expect(page.locator('.dash-summary')).toHaveText('No score files yet.');
  await expect(page.getByRole('button', { name: 'Download gradebook (CSV)' })).toBeHidden();
});
