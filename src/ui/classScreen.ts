/**
 * The instructor's class setup: pack, rounds, listeners, language and scoring weights make a class
 * code; the screen then shows the code, the class link and a printable one-page class sheet.
 */
import type { I18n } from '../i18n';
import { localize } from '../packs/text';
import { encodeClassCode, LANGUAGES, LISTENER_CHOICES, packRef, roundWeight, SCORE_COMPONENTS, SEED_BITS, WEIGHT_STEP, type ClassSettings } from '../scores/classCode';
import { classProblems, defaultClassListeners } from '../scores/classPlay';
import type { AppState, AppStore } from '../store/appStore';
import { rememberClass, setExpectedClass } from '../store/classes';
import type { LibraryPack } from '../store/packLibrary';
import './classScreen.css';
import { fill, h } from './dom';
import { formatsFor } from './format';
import { followLibrary, libraryPacks, renderPackChoices } from './libraryScreen';

/** The link students open: this page with ?class=CODE (and the pack's link when it came from one). */
export function classLink(code: string, pack: LibraryPack, here: Location = location): string {
  const url = new URL(here.pathname, here.origin);
  url.searchParams.set('class', code);
  if (!pack.builtIn && /^https?:/.test(pack.origin)) url.searchParams.set('pack', pack.origin);
  return url.href;
}

export function renderClassScreen(root: HTMLElement, store: AppStore, i18n: I18n): () => void {
  const t = i18n.t.bind(i18n);
  const heading = h('h2', { id: 'class-heading', tabindex: -1 });
  const intro = h('p', { class: 'lead' });
  const packLegend = h('legend');
  const packList = h('div', { class: 'choice-list' });
  const roundsLabel = h('label', { for: 'class-rounds' });
  const rounds = h('select', { id: 'class-rounds', name: 'rounds' });
  const listenersLabel = h('label', { for: 'class-listeners' });
  const listeners = h('select', { id: 'class-listeners', name: 'listeners' });
  const languageLabel = h('label', { for: 'class-language' });
  const language = h('select', { id: 'class-language', name: 'language' }, ...LANGUAGES.map((l) => h('option', { value: l, lang: l })));
  const customWeights = h('input', { type: 'checkbox', id: 'class-custom-weights' });
  const customWeightsLabel = h('label', { for: 'class-custom-weights' });
  const weightsLegend = h('legend');
  const weightsHelp = h('p', { class: 'help', id: 'class-weights-help' });
  const weightInputs = SCORE_COMPONENTS.map((k) => ({
    k,
    label: h('label', { for: `class-weight-${k}` }),
    input: h('input', { type: 'number', id: `class-weight-${k}`, name: `weight-${k}`, step: WEIGHT_STEP, inputmode: 'decimal', 'aria-describedby': 'class-weights-help' }),
  }));
  const weightsBox = h('div', { class: 'weights', hidden: true }, weightsHelp, ...weightInputs.map((w) => h('p', { class: 'field field--inline' }, w.label, w.input)));
  const error = h('div', { class: 'form-error', role: 'alert' });
  const create = h('button', { type: 'submit', class: 'button button--primary' });
  const back = h('button', { type: 'button', class: 'button' });
  const form = h(
    'form',
    { class: 'setup-form class-setup-form', novalidate: true },
    h('fieldset', {}, packLegend, packList),
    h('div', { class: 'class-options' }, h('p', { class: 'field' }, roundsLabel, rounds), h('p', { class: 'field' }, listenersLabel, listeners), h('p', { class: 'field' }, languageLabel, language)),
    h('fieldset', {}, weightsLegend, h('p', { class: 'choice' }, customWeights, customWeightsLabel), weightsBox),
    error,
    h('p', { class: 'actions' }, back, create),
  );
  const result = h('section', { class: 'class-result', 'aria-labelledby': 'class-result-heading', hidden: true });
  fill(root, h('section', { class: 'screen screen--class', 'aria-labelledby': 'class-heading' }, heading, intro, form, result));

  let created: { code: string; pack: LibraryPack; settings: ClassSettings } | null = null;

  const chosenPack = (): LibraryPack | undefined => {
    const id = packList.querySelector<HTMLInputElement>('input[name="class-pack"]:checked')?.value;
    return libraryPacks(store.getState()).find((p) => p.pack.id === id);
  };

  /** Fills the options that depend on the pack (rounds, listener counts, weight ranges). */
  const fitOptions = (pack: LibraryPack | undefined) => {
    if (!pack) return;
    const fmt = formatsFor(i18n.language);
    const total = pack.scenario.rounds.length;
    const keepRounds = Number(rounds.value) || total;
    fill(rounds, ...Array.from({ length: total }, (_, k) => h('option', { value: k + 1, selected: k + 1 === Math.min(keepRounds, total) }, String(k + 1))));
    const allowed = LISTENER_CHOICES.filter((n) => n <= pack.scenario.population.maxListeners);
    const chosen = allowed.find((n) => n === Number(listeners.value)) ?? defaultClassListeners(pack);
    fill(listeners, ...allowed.map((n) => h('option', { value: n, selected: n === chosen }, fmt.int(n))));
    for (const w of weightInputs) {
      const [lo, hi] = pack.scenario.scoring.weightRanges[w.k] ?? [0, 1];
      w.input.min = String(lo);
      w.input.max = String(hi);
      if (!customWeights.checked) w.input.value = String(pack.scenario.scoring.weights[w.k]);
    }
  };

  const readSettings = (pack: LibraryPack): ClassSettings => ({
    packRef: packRef(pack.pack.id, pack.pack.version),
    seed: crypto.getRandomValues(new Uint32Array(1))[0]! % 2 ** SEED_BITS,
    rounds: Number(rounds.value),
    listeners: Number(listeners.value),
    language: language.value as ClassSettings['language'],
    weights: customWeights.checked ? (Object.fromEntries(weightInputs.map((w) => [w.k, roundWeight(Number(w.input.value))])) as ClassSettings['weights']) : null,
  });

  packList.addEventListener('change', () => fitOptions(chosenPack()));
  customWeights.addEventListener('change', () => {
    weightsBox.hidden = !customWeights.checked;
    if (customWeights.checked) weightInputs[0]!.input.focus();
  });
  back.addEventListener('click', () => store.getState().go('title'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const pack = chosenPack();
    if (!pack) {
      error.textContent = t('setup.needPack');
      return;
    }
    const badWeight = customWeights.checked ? weightInputs.find((w) => w.input.value.trim() === '' || !Number.isFinite(Number(w.input.value))) : undefined;
    if (badWeight) {
      error.textContent = t('classSetup.weightNumber', { component: t(`component.${badWeight.k}`) });
      badWeight.input.focus();
      return;
    }
    const settings = readSettings(pack);
    const problems = classProblems(settings, pack);
    if (problems.length) {
      // The form only offers the pack's rounds and listener counts, so what is left is about weights.
      fill(error, h('ul', {}, ...problems.map((p) => h('li', {}, p.kind === 'weight' ? t('classSetup.weightRange', { component: t(`component.${p.component}`), min: p.min, max: p.max }) : t('classSetup.noWeight')))));
      return;
    }
    fill(error);
    const code = encodeClassCode(settings);
    created = { code, pack, settings };
    rememberClass({ code, packId: pack.pack.id, packTitle: localize(pack.pack.title, i18n.language, pack.pack.locales), createdAt: new Date().toISOString() });
    renderResult();
    result.hidden = false;
    result.querySelector<HTMLElement>('#class-result-heading')?.focus();
  });

  const renderResult = () => {
    if (!created) return;
    const { code, pack, settings } = created;
    const fmt = formatsFor(i18n.language);
    const lang = i18n.language;
    const link = classLink(code, pack);
    const copy = h('button', { type: 'button', class: 'button button--small' }, t('classSetup.copyLink'));
    const copied = h('span', { role: 'status', class: 'help' });
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(link).then(
        () => (copied.textContent = t('classSetup.copied')),
        () => (copied.textContent = t('classSetup.copyFailed')),
      );
    });
    const print = h('button', { type: 'button', class: 'button button--primary' }, t('classSetup.print'));
    print.addEventListener('click', () => printSheet(result.querySelector('.class-sheet')!));
    const dashboard = h('button', { type: 'button', class: 'button' }, t('classSetup.toDashboard'));
    dashboard.addEventListener('click', () => {
      // The dashboard then checks files against this class.
      setExpectedClass(code);
      store.getState().go('dashboard');
    });
    const title = localize(pack.pack.title, lang, pack.pack.locales);
    const facts = [
      t('packs.rounds', { count: settings.rounds }),
      t('classSetup.listenersFact', { count: settings.listeners, n: fmt.int(settings.listeners) }),
      t(`language.${settings.language}`),
      settings.weights ? t('classSetup.customWeightsFact', { list: SCORE_COMPONENTS.map((k) => `${t(`component.${k}`)} ${fmt.pct(settings.weights![k])}`).join(', ') }) : t('classSetup.packWeightsFact'),
    ].join(' · ');
    fill(
      result,
      h('h3', { id: 'class-result-heading', tabindex: -1 }, t('classSetup.ready')),
      // The sheet is what gets printed: one page to hand out or project.
      h(
        'article',
        { class: 'class-sheet', 'aria-label': t('classSetup.sheet') },
        h('p', { class: 'class-sheet__app' }, t('app.title')),
        h('h4', { lang: typeof pack.pack.title === 'string' ? undefined : lang }, title),
        h('p', { class: 'class-sheet__label' }, t('classSetup.codeLabel')),
        h('p', { class: 'class-code', 'data-class-code': code }, code),
        h('p', { class: 'class-sheet__label' }, t('classSetup.linkLabel')),
        h('p', { class: 'class-link' }, h('a', { href: link }, link)),
        h('p', { class: 'class-sheet__steps' }, t('classSetup.studentSteps')),
        !pack.builtIn && !/^https?:/.test(pack.origin) ? h('p', { class: 'help' }, t('classSetup.packFileNote', { file: pack.origin })) : null,
        h('p', { class: 'facts' }, facts),
        h('h5', {}, t('packs.chapters')),
        h('ul', {}, ...pack.pack.chapters.map((c) => h('li', {}, t('packs.chapter', { textbook: t(`textbook.${c.textbook}`), edition: c.edition, chapter: c.chapter, topic: t(`topic.${c.topic}`) })))),
        h('h5', {}, t('game.objectives')),
        h('ul', {}, ...pack.pack.lesson.objectives.map((o) => h('li', {}, localize(o.text, lang, pack.pack.locales)))),
      ),
      h('p', { class: 'actions' }, copy, copied, print, dashboard),
    );
  };

  const render = (state: AppState) => {
    heading.textContent = t('classSetup.heading');
    intro.textContent = t('classSetup.intro');
    packLegend.textContent = t('setup.pack');
    roundsLabel.textContent = t('classSetup.rounds');
    listenersLabel.textContent = t('classSetup.listeners');
    languageLabel.textContent = t('language.label');
    for (const o of language.options) o.textContent = t(`language.${o.value as ClassSettings['language']}`, { lng: o.value });
    if (!language.dataset.touched) language.value = i18n.language;
    customWeightsLabel.textContent = t('classSetup.customWeights');
    weightsLegend.textContent = t('classSetup.weights');
    weightsHelp.textContent = t('classSetup.weightsHelp');
    for (const w of weightInputs) w.label.textContent = t(`component.${w.k}`);
    create.textContent = t('classSetup.create');
    back.textContent = t('menu.back');
    renderPackChoices(packList, 'class-pack', state, i18n, (p) => t('packs.rounds', { count: p.scenario.rounds.length }));
    fitOptions(chosenPack());
    renderResult();
  };
  language.addEventListener('change', () => (language.dataset.touched = 'yes'));
  return followLibrary(store, i18n, heading, render, (state, previous) => state.library !== previous.library);
}

/**
 * Prints the sheet alone: a copy goes to the top of the page, and the print style shows only it
 * (the screen it sits in scrolls and would cut it).
 */
function printSheet(sheet: Element): void {
  const copy = h('div', { class: 'print-root' }, sheet.cloneNode(true));
  document.body.append(copy);
  addEventListener('afterprint', () => copy.remove(), { once: true });
  window.print();
}
