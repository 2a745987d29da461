import { describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { verifyInParallel } from '../../../src/cli/verifyPool';
import { scoreFileForPlan } from '../../../src/scores/playScore';
import { scoreFileText } from '../../../src/scores/scoreFile';
import { examplePlans } from '../support';

describe('verifying on several threads', () => {
  it('gives the same lines, in file order, on helper threads as on this one', { timeout: 120_000 }, async () => {
    const pack = readPack('lessons/tunestream-basics');
    const plans = examplePlans();
    const jobs = Array.from({ length: 10 }, (_, k) => {
      const file = scoreFileForPlan(pack, plans[k % plans.length]!.rounds, { appVersion: 't', nickname: `s${k}`, classCode: null, seed: k, listeners: 10_000, startedAt: 'a', exportedAt: 'b' });
      // Every third file claims a better score than it earned.
      return { name: `s${k}.json`, text: scoreFileText(k % 3 === 0 ? { ...file, score: { ...file.score, total: 100 } } : file) };
    });
    jobs.push({ name: 'cut.json', text: jobs[1]!.text.slice(0, 100) });
    const one = await verifyInParallel(jobs, [pack], null, 1);
    // Helpers alone, then this thread and a helper sharing the files.
    const helpers = await verifyInParallel(jobs, [pack], null, 2, { verifyHere: false });
    const shared = await verifyInParallel(jobs, [pack], null, 2);
    expect(helpers).toEqual(one);
    expect(shared).toEqual(one);
    expect(one.map((l) => l.ok)).toEqual(jobs.map((_, k) => k < 10 && k % 3 !== 0));
    expect(one[0]!.line).toMatch(/^s0\.json: edited: score\.total/);
    expect(one.at(-1)!.line).toMatch(/^cut\.json: invalid: /);
  });
});
