/** A student starts a game: nickname, optional class code, and the lesson pack. */
import type { I18n } from '../../i18n';
import { localize } from '../../packs/text';
import { decodeClassCode, type ClassSettings } from '../../scores/classCode';
import { classProblems, packsForClass } from '../../scores/classPlay';
import type { LibraryPack } from '../../store/packLibrary';
import type { AppState, AppStore } from '../../store/appStore';
import { fill, h } from '../dom';
import { followLibrary, libraryPacks, renderPackChoices } from '../libraryScreen';

/** Why a typed class code cannot start a game (each has its message under setup.classError). */
type ClassError = 'characters' | 'length' | 'check' | 'format' | 'noPack' | 'misfit';

/** A fresh seed for a game without a class code (the class code carries the seed in class play). */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export function renderSetupScreen(root: HTMLElement, store: AppStore, i18n: I18n): () => void {
  const t = i18n.t.bind(i18n);
  const heading = h('h2', { id: 'setup-heading', tabindex: -1 });
  const nicknameLabel = h('label', { for: 'nickname' });
  const nickname = h('input', { id: 'nickname', name: 'nickname', type: 'text', required: true, maxlength: 40, autocomplete: 'nickname' });
  const nicknameHelp = h('p', { id: 'nickname-help', class: 'help' });
  nickname.setAttribute('aria-describedby', 'nickname-help');
  const codeLabel = h('label', { for: 'class-code' });
  const code = h('input', { id: 'class-code', name: 'class-code', type: 'text', maxlength: 24, autocomplete: 'off', spellcheck: false, autocapitalize: 'characters', 'aria-describedby': 'class-code-help class-code-status' });
  code.value = new URLSearchParams(location.search).get('class') ?? '';
  const codeHelp = h('p', { id: 'class-code-help', class: 'help' });
  const codeStatus = h('p', { id: 'class-code-status', class: 'help', 'aria-live': 'polite' });
  const packLegend = h('legend');
  const packList = h('div', { class: 'choice-list' });
  const packBox = h('fieldset', {}, packLegend, packList);
  const start = h('button', { type: 'submit', class: 'button button--primary' });
  const back = h('button', { type: 'button', class: 'button' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'setup-form', novalidate: true },
    h('div', { class: 'field' }, nicknameLabel, nickname, nicknameHelp),
    h('div', { class: 'field' }, codeLabel, code, codeHelp, codeStatus),
    packBox,
    error,
    h('p', { class: 'actions' }, back, start),
  );
  fill(root, h('section', { class: 'screen', 'aria-labelledby': 'setup-heading' }, heading, form));

  /** The class the typed code means: its settings and pack, or why not; null when no code is typed. */
  const classChoice = (): { ok: true; settings: ClassSettings; code: string; pack: LibraryPack } | { ok: false; error: ClassError | 'loading' } | null => {
    if (!code.value.trim()) return null;
    const decoded = decodeClassCode(code.value);
    if (!decoded.ok) return { ok: false, error: decoded.error === 'empty' ? 'length' : decoded.error };
    const { library } = store.getState();
    const candidates = packsForClass(decoded.settings, libraryPacks(store.getState()));
    if (!candidates.length) return { ok: false, error: library.status === 'ready' && !store.getState().busy ? 'noPack' : 'loading' };
    const pack = candidates.find((p) => classProblems(decoded.settings, p).length === 0);
    return pack ? { ok: true, settings: decoded.settings, code: decoded.code, pack } : { ok: false, error: 'misfit' };
  };
  const showClass = () => {
    const choice = classChoice();
    packBox.hidden = choice?.ok === true;
    if (choice?.ok) codeStatus.textContent = t('setup.classFound', { title: localize(choice.pack.pack.title, i18n.language, choice.pack.pack.locales), rounds: choice.settings.rounds });
    // A mistake is pointed out once a whole code is typed, not while the student is typing it.
    else if (choice && choice.error !== 'loading' && code.value.replace(/[\s-]/g, '').length >= 11) codeStatus.textContent = t(`setup.classError.${choice.error}`);
    else codeStatus.textContent = '';
    return choice;
  };
  code.addEventListener('input', showClass);

  back.addEventListener('click', () => store.getState().go('title'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = nickname.value.trim();
    const chosen = packList.querySelector<HTMLInputElement>('input[name="pack"]:checked');
    if (!name) {
      error.textContent = t('setup.needNickname');
      nickname.focus();
      return;
    }
    const cls = showClass();
    if (cls && !cls.ok) {
      // Still loading at submit time means the pack never came: say so.
      error.textContent = t(`setup.classError.${cls.error === 'loading' ? 'noPack' : cls.error}`);
      code.focus();
      return;
    }
    if (cls) {
      error.textContent = '';
      if (i18n.language !== cls.settings.language) void i18n.changeLanguage(cls.settings.language);
      void store.getState().startGame({ packId: cls.pack.pack.id, nickname: name, classCode: cls.code, seed: cls.settings.seed, listeners: cls.settings.listeners });
      return;
    }
    if (!chosen) {
      error.textContent = t('setup.needPack');
      return;
    }
    error.textContent = '';
    void store.getState().startGame({ packId: chosen.value, nickname: name, classCode: null, seed: randomSeed() });
  });

  const render = (state: AppState) => {
    heading.textContent = t('setup.heading');
    nicknameLabel.textContent = t('setup.nickname');
    nicknameHelp.textContent = t('setup.nicknameHelp');
    codeLabel.textContent = t('setup.classCode');
    codeHelp.textContent = t('setup.classCodeHelp');
    packLegend.textContent = t('setup.pack');
    start.textContent = t('setup.start');
    back.textContent = t('menu.back');
    renderPackChoices(packList, 'pack', state, i18n, (p) => `${localize(p.pack.summary, i18n.language, p.pack.locales)} · ${t('packs.rounds', { count: p.scenario.rounds.length })} · ${t('packs.minutes', { count: p.pack.minutes })}`);
    showClass();
  };
  return followLibrary(store, i18n, heading, render, (state, previous) => state.library !== previous.library || state.busy !== previous.busy);
}
