import { describe, expect, it } from 'vitest';
import { createState, DecisionError, effectiveDecisions, playRound, stateToJSON, type PlainDecisions, type Scenario } from '../../../src/sim';
import { resolveDecisions } from '../../../src/sim/decisions';
import { assign, defaultScenario, scenarioWith, seg, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;

/** The DecisionError that resolving `given` in round `round` throws (fails the test if none). */
function errorOf(given: Partial<PlainDecisions>, scenario: Scenario = sc, round = 0, previous: PlainDecisions | null = null): DecisionError {
  try {
    resolveDecisions(scenario, round, given, previous, N);
  } catch (e) {
    if (e instanceof DecisionError) return e;
    throw e;
  }
  throw new Error('expected a DecisionError');
}

const runners = seg('runners', 'runner', ['yes']);

describe('DecisionError: names', () => {
  it('names an unknown signal with its path, a did-you-mean and what is allowed', () => {
    const e = errorOf({ signals: ['account_profile', 'listening_histroy'] });
    expect(e.round).toBe(0);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toEqual(['signals', 1]);
    expect(e.issues[0]!.message).toBe(
      'unknown signal "listening_histroy" (did you mean "listening_history"?); allowed: "account_profile", "listening_history", "searches", "time_of_day", "skip_behaviour", "coarse_location", "precise_location", "motion_sensors", "voice", "linked_social", "data_broker", "cross_app_id"',
    );
    expect(e.message).toMatch(/^round 1: signals\.1: unknown signal "listening_histroy"/);
    expect(e.name).toBe('DecisionError');
  });

  it('suggests nothing for a name far from every option', () => {
    const e = errorOf({ signals: ['gps'] });
    expect(e.issues[0]!.message).toMatch(/^unknown signal "gps"; allowed: "account_profile"/);
  });

  it('rejects a signal listed twice, and an unknown consent design', () => {
    const e = errorOf({ signals: ['voice', 'voice'], consent: 'buired' });
    expect(e.issues.map((i) => [i.path, i.message])).toEqual([
      [['signals', 1], 'signal "voice" is listed twice'],
      [['consent'], 'unknown consent design "buired" (did you mean "buried"?); allowed: "clear_opt_in", "bundled", "buried"'],
    ]);
  });

  it('checks per-signal consent designs', () => {
    const e = errorOf({ consentBySignal: { serches: 'bundled', voice: 'pre_ticked' } });
    expect(e.issues.map((i) => i.path)).toEqual([
      ['consentBySignal', 'serches'],
      ['consentBySignal', 'voice'],
    ]);
    expect(e.issues[0]!.message).toContain('(did you mean "searches"?)');
    expect(e.issues[1]!.message).toMatch(/^unknown consent design "pre_ticked"; allowed: "clear_opt_in", "bundled", "buried"$/);
  });

  it('checks the attributes and values of segment rules, with paths into the rule', () => {
    const e = errorOf({
      segments: [
        { id: 'sad', rule: { any: [{ all: [{ trait: 'moood', in: ['heartbreak'] }] }, { all: [{ trait: 'mood', in: ['heartbrake', 'grief'] }] }] } },
        { id: 'empty', rule: { any: [{ all: [{ trait: 'age', in: [] }] }, { all: [] }] } },
        { id: 'none', rule: { any: [] } },
      ],
    });
    expect(e.issues.map((i) => i.path.join('.'))).toEqual([
      'segments.0.rule.any.0.all.0.trait',
      'segments.0.rule.any.1.all.0.in.0',
      'segments.1.rule.any.0.all.0.in',
      'segments.1.rule.any.1.all',
      'segments.2.rule.any',
    ]);
    expect(e.issues[0]!.message).toMatch(/^unknown attribute "moood" \(did you mean "mood"\?\); allowed: "age", "region"/);
    expect(e.issues[1]!.message).toBe('unknown value of "mood" "heartbrake" (did you mean "heartbreak"?); allowed: "steady", "heartbreak", "exam_stress", "grief", "celebration"');
    expect(e.issues[2]!.message).toBe('list at least one value; allowed: "13-17", "18-24", "25-34", "35-44", "45-54", "55+"');
    expect(e.issues[3]!.message).toBe('a clause needs at least one condition');
    expect(e.issues[4]!.message).toBe('a segment needs at least one clause');
  });

  it('reserves the segment id "everyone", and rejects duplicate ids and too many segments', () => {
    expect(errorOf({ segments: [seg('everyone', 'age', ['55+'])] }).issues).toEqual([
      { path: ['segments', 0, 'id'], message: '"everyone" is reserved for untargeted ads; choose another id' },
    ]);
    expect(errorOf({ segments: [runners, runners] }).issues).toEqual([{ path: ['segments', 1, 'id'], message: 'segment id "runners" is used twice' }]);
    const many = Array.from({ length: sc.maxSegments + 1 }, (_, k) => seg(`s${k}`, 'age', ['55+']));
    expect(errorOf({ segments: many }).issues).toEqual([{ path: ['segments'], message: `9 segments; at most ${sc.maxSegments} are allowed` }]);
    expect(() => resolveDecisions(sc, 0, { segments: many.slice(0, sc.maxSegments) }, null, N)).not.toThrow();
  });

  it('names an unknown campaign and an unknown segment of an assignment', () => {
    const e = errorOf({ segments: [runners], assignments: [assign('stride_shoe', 'runers', 100, 2)] });
    expect(e.issues).toEqual([
      {
        path: ['assignments', 0, 'campaign'],
        message:
          'unknown campaign "stride_shoe" (did you mean "stride_shoes"?); allowed: "frosty_scoops", "sparkmatch", "stride_shoes", "live_nights", "quietbeat_headphones", "metro_coffee", "quickcash_loans", "lucky_goal_betting", "calm_mind_app", "tiny_steps_baby"',
      },
      { path: ['assignments', 0, 'segment'], message: 'unknown segment "runers" (did you mean "runners"?); allowed: "everyone", "runners"' },
    ]);
  });
});

describe('DecisionError: numbers', () => {
  it('rejects budgets that are negative, fractional or beyond every ad slot', () => {
    const range = (b: number) => `budget ${b} is out of range; allowed: a whole number of impressions from 0 to 200000 (20 ad slots × 10000 listeners)`;
    expect(errorOf({ assignments: [assign('stride_shoes', 'everyone', -1, 2)] }).issues).toEqual([{ path: ['assignments', 0, 'budget'], message: range(-1) }]);
    expect(errorOf({ assignments: [assign('stride_shoes', 'everyone', 10.5, 2)] }).issues).toEqual([{ path: ['assignments', 0, 'budget'], message: range(10.5) }]);
    // Beyond the slots is also beyond the advertiser's demand: both are reported.
    expect(errorOf({ assignments: [assign('stride_shoes', 'everyone', 250_000, 2)] }).issues.map((i) => i.message)).toEqual([
      'the advertiser buys at most 15000 impressions of "stride_shoes" this round (1500 per 1,000 listeners); these assignments ask for 250000',
      range(250000),
    ]);
  });

  it('rejects budgets beyond what a round counts (2³¹ − 1 impressions), however large the market', () => {
    const huge = scenarioWith((s) => {
      s.market.adSlotsPerListener = 100;
      for (const c of s.campaigns) c.demandPerThousand = 100_000;
    });
    const listeners = 50_000_000;
    const at = (budget: number) => {
      try {
        resolveDecisions(huge, 0, { assignments: [assign('stride_shoes', 'everyone', budget, 2)] }, null, listeners);
        return [];
      } catch (e) {
        return (e as DecisionError).issues.map((i) => i.message);
      }
    };
    expect(at(2 ** 31 - 1)).toEqual([]);
    expect(at(2 ** 31)).toEqual([`budget ${2 ** 31} is out of range; allowed: a whole number of impressions from 0 to ${2 ** 31 - 1} (the most one round counts)`]);
  });

  it('rejects frequency caps outside 1 … ad slots', () => {
    for (const cap of [0, 21, 2.5, -3])
      expect(errorOf({ assignments: [assign('stride_shoes', 'everyone', 100, cap)] }).issues).toEqual([
        { path: ['assignments', 0, 'cap'], message: `frequency cap ${cap} is out of range; allowed: a whole number from 1 to 20` },
      ]);
    expect(() => resolveDecisions(sc, 0, { assignments: [assign('stride_shoes', 'everyone', 100, 20)] }, null, N)).not.toThrow();
    expect(() => resolveDecisions(sc, 0, { assignments: [assign('stride_shoes', 'everyone', 100, 1)] }, null, N)).not.toThrow();
  });

  it('rejects buying more of a campaign than its advertiser demands, summed over assignments', () => {
    expect(() => resolveDecisions(sc, 0, { segments: [runners], assignments: [assign('stride_shoes', 'runners', 10_000, 5), assign('stride_shoes', 'everyone', 5000, 2)] }, null, N)).not.toThrow();
    const e = errorOf({ segments: [runners], assignments: [assign('stride_shoes', 'runners', 10_000, 5), assign('stride_shoes', 'everyone', 5001, 2)] });
    expect(e.issues).toEqual([
      {
        path: ['assignments', 1, 'budget'],
        message: 'the advertiser buys at most 15000 impressions of "stride_shoes" this round (1500 per 1,000 listeners); these assignments ask for 15001',
      },
    ]);
    // Demand scales with the listener count: 1,500 per 1,000 listeners.
    expect(() => resolveDecisions(sc, 0, { assignments: [assign('stride_shoes', 'everyone', 3001, 2)] }, null, 2000)).toThrow(/at most 3000 impressions/);
  });

  it('checks quiz answers against the round’s questions', () => {
    const quizzed = scenarioWith((s) => (s.rounds[0]!.quizKey = [1, 0]));
    expect(errorOf({ quiz: [1, 0, 2] }, quizzed).issues).toEqual([{ path: ['quiz'], message: '3 answers given; this round has 2 quiz question(s)' }]);
    expect(errorOf({ quiz: [-1, 0.5] }, quizzed).issues.map((i) => i.path)).toEqual([
      ['quiz', 0],
      ['quiz', 1],
    ]);
  });

  it('reports every problem of a round at once, in one error', () => {
    const e = errorOf({ signals: ['voise'], consent: 'nope', assignments: [assign('stride_shoes', 'everyone', -5, 0)] });
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['signals.0', 'consent', 'assignments.0.budget', 'assignments.0.cap']);
    expect(e.message.split('\n')).toHaveLength(4);
  });

  it('rejects a round index the scenario does not have', () => {
    const e = errorOf({}, sc, 4);
    expect(e.issues).toEqual([{ path: [], message: 'the scenario has 4 rounds' }]);
  });

  it('leaves the state untouched when playRound rejects the decisions', () => {
    const state = createState(sc, 1, 500);
    const before = JSON.stringify(stateToJSON(state));
    expect(() => playRound(sc, state, { signals: ['nope'] })).toThrow(DecisionError);
    expect(JSON.stringify(stateToJSON(state))).toBe(before);
  });
});

describe('effective decisions: carry-over and closed areas', { timeout: SIM_TIMEOUT }, () => {
  // Round 2 keeps signals (with a default) and consent (no default) closed; round 3 offers only some signals and campaigns.
  const staged = scenarioWith((s) => {
    s.rounds[1]!.open = { signals: false, consent: false, segments: true, campaigns: true };
    s.rounds[1]!.defaults = { signals: ['account_profile', 'time_of_day'] };
    s.rounds[2]!.signals = ['account_profile', 'listening_history'];
    s.rounds[2]!.campaigns = ['stride_shoes', 'live_nights'];
  });

  it('carries an area left out over from the previous round', () => {
    const previous: PlainDecisions = { signals: ['voice'], consent: 'bundled', consentBySignal: { voice: 'buried' }, segments: [runners], assignments: [], quiz: [0] };
    const { plain, ignored } = effectiveDecisions(sc, 1, { assignments: [assign('live_nights', 'runners', 10, 1)] }, previous);
    expect(plain).toEqual({ ...previous, assignments: [assign('live_nights', 'runners', 10, 1)], quiz: [] });
    expect(ignored).toEqual([]);
    // The first round starts from nothing collected and the first consent design.
    expect(effectiveDecisions(sc, 0, {}, null).plain).toEqual({ signals: [], consent: 'clear_opt_in', consentBySignal: {}, segments: [], assignments: [], quiz: [] });
  });

  it('keeps its own copy of the decisions: changing the ones given or the previous round’s afterwards changes nothing in it', () => {
    const previous: PlainDecisions = { signals: ['voice'], consent: 'bundled', consentBySignal: { voice: 'buried' }, segments: [runners], assignments: [], quiz: [0] };
    const given = { segments: [seg('fans', 'genre', ['pop'])], assignments: [assign('live_nights', 'fans', 10, 1)], quiz: [1] };
    const { plain } = effectiveDecisions(sc, 1, given, previous);
    const before = JSON.stringify(plain);
    given.segments[0]!.rule.any[0]!.all[0]!.in.push('rock');
    given.segments[0]!.id = 'changed';
    given.assignments[0]!.budget = 99;
    given.quiz[0] = 2;
    previous.signals.push('searches');
    previous.consentBySignal.voice = 'clear_opt_in';
    expect(JSON.stringify(plain)).toBe(before);
    // Nor does changing it reach back into the previous round's.
    plain.signals.push('cross_app_id');
    expect(previous.signals).toEqual(['voice', 'searches']);
  });

  it('ignores closed areas, says so in result.ignored, and uses the pack’s defaults or the previous choice', () => {
    let state = createState(staged, 3, 1000);
    const r1 = playRound(staged, state, { signals: ['listening_history', 'searches'], consent: 'bundled', segments: [runners] });
    expect(r1.result.ignored).toEqual([]);
    state = r1.state;
    const r2 = playRound(staged, state, { signals: ['voice'], consent: 'buried', consentBySignal: { voice: 'buried' }, segments: [] });
    expect(r2.result.ignored).toEqual(['signals', 'consent']);
    expect(r2.result.decisions.signals).toEqual(['account_profile', 'time_of_day']); // the pack's default
    expect(r2.result.decisions.consent).toBe('bundled'); // no default: the previous round's choice
    expect(r2.result.decisions.consentBySignal).toEqual({});
    expect(r2.result.decisions.segments).toEqual([]); // open: the plan's choice
    expect(r2.result.coverage.map((c) => c.signal)).toEqual(['account_profile', 'time_of_day']);
    // Round 3 drops a carried-over signal that is no longer on offer, quietly.
    const r3 = playRound(staged, r2.state, {});
    expect(r3.result.decisions.signals).toEqual(['account_profile']);
    expect(r3.result.ignored).toEqual([]);
  });

  it('rejects naming a signal or campaign that the round does not offer', () => {
    const e = errorOf({ signals: ['time_of_day'], assignments: [assign('metro_coffee', 'everyone', 100, 1)] }, staged, 2);
    expect(e.issues).toEqual([
      { path: ['signals', 0], message: 'signal "time_of_day" is not on offer in this round; allowed: "account_profile", "listening_history"' },
      { path: ['assignments', 0, 'campaign'], message: 'campaign "metro_coffee" is not on offer in this round; allowed: "stride_shoes", "live_nights"' },
    ]);
  });
});
