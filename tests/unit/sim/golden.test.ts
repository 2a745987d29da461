/**
 * Golden results: every example plan of every lesson pack, played on a few seeds, must give the
 * same numbers bit for bit as when the values below were recorded. Speed work on the simulation
 * must never change a result; a deliberate change of the model updates these hashes in the same
 * commit and says why. An edit of a built-in pack's scenario or example plans changes them too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchDecisions } from '../../../src/cli/bench';
import { readPack } from '../../../src/cli/cliSupport';
import { createState, playPlan, playRound, previewRound, stateToJSON, type PlainDecisions, type Scenario } from '../../../src/sim';
import { REPO, SIM_TIMEOUT } from '../support';

/** The listener count the example plans are written for (their budgets fit it). */
const LISTENERS = 10_000;
const SEEDS = [1, 2, 3];
const LESSONS = join(REPO, 'lessons');

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The pack's scenario as `npm run simulate` reads it (with the quiz keys of its lessons). */
const scenarioOf = (pack: string): Scenario => readPack(join(LESSONS, pack)).scenario;

function plansOf(pack: string): { name: string; rounds: Partial<PlainDecisions>[] }[] {
  const dir = join(LESSONS, pack, 'plans');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), rounds: (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { rounds: Partial<PlainDecisions>[] }).rounds }));
}

const packs = readdirSync(LESSONS)
  .filter((p) => existsSync(join(LESSONS, p, 'pack.json')) && existsSync(join(LESSONS, p, 'plans')))
  .sort();

/** Every round's result and the final state of a whole game. */
function gameHash(scenario: Scenario, seed: number, listeners: number, rounds: Partial<PlainDecisions>[]): string {
  const out = playPlan(scenario, seed, listeners, rounds);
  return sha({ results: out.results, state: stateToJSON(out.state), score: out.score });
}

/** A game played round by round with traced listeners and a preview before each round (the game screens' path). */
function tracedHash(scenario: Scenario, seed: number, rounds: Partial<PlainDecisions>[]): string {
  const sample = [0, 1, 17, 250, 1234, LISTENERS - 1];
  let state = createState(scenario, seed, LISTENERS);
  const parts: unknown[] = [];
  for (let r = 0; r < scenario.rounds.length; r++) {
    const given = rounds[r] ?? {};
    parts.push(previewRound(scenario, state, given, sample));
    const step = playRound(scenario, state, given, { trace: 42, traces: sample });
    parts.push(step.result, step.trace, step.traces);
    state = step.state;
  }
  parts.push(stateToJSON(state));
  return sha(parts);
}

/** sha256 of the JSON of each game, recorded from the model as of this test's first commit. */
const GOLDEN: Record<string, string> = {
  'advertising-targeting/exploit/1': '2b7e55158e3ca90faebc5cfda690ab9ad4d280875e93417fc4f23be2bad6e865',
  'advertising-targeting/exploit/2': '99de7a4652bbcaff8ff3993e3da1e9143ca129519f263ea1af8b68cf12170243',
  'advertising-targeting/exploit/3': '9d5abcfdae898d5234926b8d436ead1c04472c2f1fe7c484cf1682c33785c641',
  'advertising-targeting/exploit/traced': '637b4d2f66037bccc86e0c783022317a93188ba24e027fdcca6cb1bc56ed5b6c',
  'advertising-targeting/grey-zone/1': 'fbb9535ac80b29c248743578a7ac8bd2d466b278185148823a1e937ab93d8719',
  'advertising-targeting/grey-zone/2': '3266350e41ae0998de4391eedc8b38b469524b5b3a04da11ba0d48a1827138a7',
  'advertising-targeting/grey-zone/3': 'f16583d4b8d157efd4082d68d1eaaf741ba9815303eecc9b2a3a19987a72cd78',
  'advertising-targeting/grey-zone/traced': '459c7ae3ee9fd3725af99da8413601b465007581e4033a938b32c5c8e84b06ed',
  'advertising-targeting/transparent/1': '77118aaa237caf1121c13c57ba3bfe299d5aba5bf263960a1c3bcfad5641d835',
  'advertising-targeting/transparent/2': 'd4c586d457fe47ff922e772fb5765c6803f681c437c208528db44d62b9a30f8f',
  'advertising-targeting/transparent/3': 'dac548a2ec97a27cb0400a3633e4b085f56ccb3c21e76a472e97907d240d7628',
  'advertising-targeting/transparent/traced': 'a5d47fab9d498d6ed88c074fb4adf7e9629e95a59e60c077318790d62e769528',
  'advertising-targeting/untargeted/1': 'cc4c322008ea1d057335a63e7f7083994778c82906f75f1c121fe3f702578c7b',
  'advertising-targeting/untargeted/2': '24e3ffdc95069114a434cdd65b217297b002c0cd205270c5517a761e2248ccc4',
  'advertising-targeting/untargeted/3': '6d03817929709168a32bb4a9449ffd88edd05cf489b228d0dab53892da20ffd4',
  'advertising-targeting/untargeted/traced': '3977af738690f606f470209848b47898be3f553411008f60e104415580c81549',
  'bench': '45d8dee64bcabd0ec2be972267e4435cb85a452b07b7fed615bda741aa0994a2',
  'ethics-responsibility/exploit/1': '897e277d8636b9d13ba715428b36e4b0afa53f2fcf81060402bdaa76b17ec9e4',
  'ethics-responsibility/exploit/2': 'b72888ae2bc08c0e30b3f9912d5457fefb6828cb1d20fbcd9d85a22b24558e00',
  'ethics-responsibility/exploit/3': 'c6536f3dfb5b1d114c35bd1f3e3ba1320f6a7bd718d5619a7c53a244a5801aa8',
  'ethics-responsibility/exploit/traced': '6b02a65558955729b68538e9e2b11cfacf19e38f702c36997900e19eb9fbc031',
  'ethics-responsibility/grey-zone/1': '921292025658b8fdd1e68a24a93badb3595a3d833732b4d4092db39c2ab543e9',
  'ethics-responsibility/grey-zone/2': '6702b2e737d646f17e38f7b4ba39d5c37c821e331ac1a65fe7dcb1ac05232148',
  'ethics-responsibility/grey-zone/3': 'cd7c68250906e3391da45b9b5fc357ec0eea9a183a0d4a35d1fcb8fbf989436a',
  'ethics-responsibility/grey-zone/traced': '0c59a0e3eab05c9fc1e2970d579eabdc31cc368030fcbaba22adc8a992c5f8d3',
  'ethics-responsibility/transparent/1': '495f7c1cd13213964ce3a0030892f92581ffbd3726eb31f623452c919fb1655b',
  'ethics-responsibility/transparent/2': '5e2c8f2809d8353515b0019fed640e1bca0ec5c104a58ebfab10b85e30e7e568',
  'ethics-responsibility/transparent/3': 'a972d006a9eab8fedd3f8456708d20d5c7c9ad296474e19903875bddfa304726',
  'ethics-responsibility/transparent/traced': '4b16ee3a6ed2e84c71460e381d3cc4047ca86a245d9b04ebb4b81d82d512e605',
  'ethics-responsibility/untargeted/1': '26b4edfa092e965f53c448322bc10489260c42d395f9e3fc76036aa15cc5ddf1',
  'ethics-responsibility/untargeted/2': '759858bc01ad76645f112429144c850136d1ca694fbaefe2fcc8092c268c4e70',
  'ethics-responsibility/untargeted/3': 'be6c12ad5013bd7f3c5d2ef40564217487afae17b5bb71ca5d90dd2d83541213',
  'ethics-responsibility/untargeted/traced': '1a23051674edfbc3a92a9b7134e5fb1215c8c692bc2895e6a3028206ff527b8f',
  'information-privacy/exploit/1': 'fc017683b72b1269a4a1195b69237405b46610bb79a37e62c6f51eea7b837cbc',
  'information-privacy/exploit/2': 'bf7c77f5f615e9322ba168eee9a6d44a322ff6aa851fc4ac40014ef006783ea4',
  'information-privacy/exploit/3': 'e055593ef938bbb32394a442af34a3df6e294eab435bcd8f8032bfec7e66a804',
  'information-privacy/exploit/traced': 'ff39968c17319784e4adadbdf3fddabea43517d43f51247f6a0cf713f982c793',
  'information-privacy/grey-zone/1': 'cf31324d19696c58879738f3a45d9cfc1ea82a10272cfabd89c5767f49433095',
  'information-privacy/grey-zone/2': 'dba4784199775accb2f3c0aca34304f1bff5b0e0e4808be2f15db9f5c93fa071',
  'information-privacy/grey-zone/3': 'b2ed425541e8efbd4b33947330f93f4c1129e025b3a9160d19a84ef1f5f77379',
  'information-privacy/grey-zone/traced': '6756a99e72e78a650ce8561aa0f9d48c23d0801b27433110388a82485c93cb6b',
  'information-privacy/transparent/1': '27f9a71d8f13864acdde5c5baf8e45b6333ca1b35d27703e19b2472ee0093a5d',
  'information-privacy/transparent/2': 'fe6a52f9899aa3c5bb3fccdb96e47384f83c193e31cadfe7b8537ea75c5610c3',
  'information-privacy/transparent/3': '45f880f4887537ce531777c2895b167e5f320667dc39c1e5568788354dac0c30',
  'information-privacy/transparent/traced': 'feb451b093ed8d18f4d275eb8592196531d1b183a5c199fd02eb3f749fa03e58',
  'information-privacy/untargeted/1': '67527517ec966a2c2793b006631a524ad909c5b6676e2e35ef69a51ea84d9771',
  'information-privacy/untargeted/2': '47202e51ebb27390713ca077b874c278aa0c8773616318413c7536d8a55858f0',
  'information-privacy/untargeted/3': '852bbf62dacdc6a5018007373a3f2b6f2f0e4b6fe1236d9ca38aa52016f871b8',
  'information-privacy/untargeted/traced': '3fb14059d59928c7f40688cc9e29bdd48c77bbabe0178a086b012f8b44c26552',
  'sampled/bundled-grey-zone': '0c8a600f59d1bc3b8a86794ee1253f06c76a83c845178ee4a247fd9534767d48',
  'sampled/collect-everything-buried': '6bd9e03977378bccfdb72703baf9c112f3ffb387f9acda3f8898c0bc2fc8d84b',
  'sampled/transparent-relevant': '44a7d8b803ac1dfcc64960873df627f07dc7195734568d970a2431856fe53832',
  'sampled/untargeted': 'a8f590f4d71085c2c4a9938804fe7d76410c6adc9013c2335b10c3f0749c288b',
  'segmentation-positioning/combined/1': 'ce76188a611f0a11f2211e60d86f756844b68462b07347c748ed28f66ff42846',
  'segmentation-positioning/combined/2': 'b39a1d818664a39d75adc40c65b653714be2cb6a9f34b6c6fe67d200ad89b7a2',
  'segmentation-positioning/combined/3': 'e8bd7cb1cc9f35016c67aa80b4efe1d51f9ef4b79e3700b1c6f23fefd7e985a3',
  'segmentation-positioning/combined/traced': 'e3dfe02479dfffae469999b855e244d01f3e12363d4b4c2e53d82ee78ef6414d',
  'segmentation-positioning/exploit/1': '059088dd52f85ecc15eade3ab3ca864c29af7e01de810237d5a1584acbd77dc5',
  'segmentation-positioning/exploit/2': 'f6fd45da3c982fddd9962382b4508c576a1615b9116752388d033a3e43d47a02',
  'segmentation-positioning/exploit/3': 'b70ce5c4bbb642d3b9dbc3ec01e14afdf75dc93014464e89d691caed7b54ff46',
  'segmentation-positioning/exploit/traced': '5164f923d03dd9eb684e1002804422e06ccd4558e39f90b469eff097272d028e',
  'segmentation-positioning/grey-zone/1': '49ce75355bad94f443fabf9aca3146bc51dc7a548d1c578c3cad4edc250d5a13',
  'segmentation-positioning/grey-zone/2': '757b354d61f8235d4b9b3eb05cad459eedbbde19a5f98cd5c03a5981df35e594',
  'segmentation-positioning/grey-zone/3': 'f180774694327a9217c3ef3210f2b6fc28014f427664db15207b90b04452c75a',
  'segmentation-positioning/grey-zone/traced': '7edc622ec3004800bbe317cbfa22caa421838edfb305019d05f8b952379eea8a',
  'segmentation-positioning/transparent/1': 'e6ae89b9d67afc68051a0509aab119c9f774a54d9f63a67e649ddf5a31b02d4c',
  'segmentation-positioning/transparent/2': 'a8964340ce6b19c00c75f0920fdc7e8436886675341721583d155c7b393ceabe',
  'segmentation-positioning/transparent/3': '1db2cc7eaff1c9d567ea66b2d03eee3efc05db49757cc7a14323bd7db989c324',
  'segmentation-positioning/transparent/traced': '4721e3bd5fd0e8afdd31fa7ae108e75252c960496c1b2428ee6c2546a35bdf66',
  'segmentation-positioning/untargeted/1': '811a487de81acd17486d19a1f02887a5088968292815980f257c406ad09bb90f',
  'segmentation-positioning/untargeted/2': 'c433e9d7ef57ab1f11f05a9b80168bb20f4dab7f802f1dc374dd9588cb32d51a',
  'segmentation-positioning/untargeted/3': '63d50e2ca3a75f2ff7c0fae5d4bd28dc7397719f953c75a0329224cbf2b324a9',
  'segmentation-positioning/untargeted/traced': '2a9710e753acd86c37de1c2fff90466ba7d5222020ff3cb02d574b9e4c469788',
  'tunestream-basics/bundled-grey-zone/1': 'bb0da0004fb195ec946c715704cd57520f2a35626aaaca0ee3b242c0f7dc1871',
  'tunestream-basics/bundled-grey-zone/2': '83d3cbf9790605b2fe65c6a52cc847ffd707486d8db1052ce4790c3535fd461a',
  'tunestream-basics/bundled-grey-zone/3': '225d6ff8293bcecee0797e7fbdcc1a3310f65dc778d84560071f8fd80f9cf043',
  'tunestream-basics/bundled-grey-zone/traced': '4618fe6ca65baf2a6b7841a4cc8b21856f30943b6b9e8733c72632be987cda84',
  'tunestream-basics/collect-everything-buried/1': '01911e7d978953c2afd611b62090cb873edd384f5871edf103f7f2888488dda7',
  'tunestream-basics/collect-everything-buried/2': 'd8412c726148e2993690ea4431e0ca20a2b79b7c614f44e8a911e55f6694681c',
  'tunestream-basics/collect-everything-buried/3': '65d61da6a2b80f00c0845886669239fc2276132fe891335d0e0fcc5db3a5f882',
  'tunestream-basics/collect-everything-buried/traced': '5cf8b027bcf85600139d14e862506e944bcb378604757c71164fcc961fd8e73b',
  'tunestream-basics/transparent-relevant/1': 'c990821e26489509995f89b09e342ed2f4cc7fad7210d843f587468269cc795c',
  'tunestream-basics/transparent-relevant/2': 'cc5d079e7a4a6f73752d88d87ee4cd21f603246b111f7205385ca7464687f509',
  'tunestream-basics/transparent-relevant/3': 'd24ced627fd59a1d803245c003126a1337faf994151807af8d3bff866f637783',
  'tunestream-basics/transparent-relevant/traced': '1cacd28cbf2f7eff2686836016f812ec405a381cd50a9729e7b3866b3eca9d90',
  'tunestream-basics/untargeted/1': 'ebf53acea2a22b59683c1c9a4942a486ade609faffda5d5b778aec3444e61416',
  'tunestream-basics/untargeted/2': 'fe162688244412df126981ecff458ddc5a4dcb519fa4d7e98a5cf78590ac9f1a',
  'tunestream-basics/untargeted/3': '6d16750f71e003d5cf039897442656b9e1dee5ad5a7459fb86493475ab7e5df1',
  'tunestream-basics/untargeted/traced': '18b184618d0e9013a3571a0f403e542fa0ebffb9af9eb978b4d8f92ec186a883',
};

describe('golden results', { timeout: SIM_TIMEOUT }, () => {
  for (const pack of packs) {
    const scenario = scenarioOf(pack);
    for (const plan of plansOf(pack)) {
      it(`${pack}/${plan.name}: whole games on seeds ${SEEDS.join(', ')}`, () => {
        for (const seed of SEEDS) expect(gameHash(scenario, seed, LISTENERS, plan.rounds), `seed ${seed}`).toBe(GOLDEN[`${pack}/${plan.name}/${seed}`]);
      });
      it(`${pack}/${plan.name}: previews and traced listeners`, () => {
        expect(tracedHash(scenario, 1, plan.rounds)).toBe(GOLDEN[`${pack}/${plan.name}/traced`]);
      });
    }
  }

  it('report cards on a sample of the listeners', () => {
    const scenario = scenarioOf('tunestream-basics');
    const sampled = { ...scenario, segmentCriteria: { ...scenario.segmentCriteria, sampleListeners: 1000 } };
    for (const plan of plansOf('tunestream-basics'))
      expect(gameHash(sampled, 4, LISTENERS, plan.rounds), plan.name).toBe(GOLDEN[`sampled/${plan.name}`]);
  });

  it("the bench's heavy round, carried through a whole game", () => {
    const scenario = scenarioOf('tunestream-basics');
    expect(gameHash(scenario, 7, 20_000, [benchDecisions(scenario, 20_000)])).toBe(GOLDEN['bench']);
  });
});
