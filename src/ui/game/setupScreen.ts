/** A student starts a game: nickname, optional class code, and the lesson pack. */
import type { I18n } from '../../i18n';
import { localize } from '../../packs/text';
import type { AppState, AppStore } from '../../store/appStore';
import { fill, h } from '../dom';
import { followLibrary } from '../libraryScreen';

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
  const packLegend = h('legend');
  const packList = h('div', { class: 'choice-list' });
  const start = h('button', { type: 'submit', class: 'button button--primary' });
  const back = h('button', { type: 'button', class: 'button' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'setup-form', novalidate: true },
    h('div', { class: 'field' }, nicknameLabel, nickname, nicknameHelp),
    h('fieldset', {}, packLegend, packList),
    error,
    h('p', { class: 'actions' }, back, start),
  );
  fill(root, h('section', { class: 'screen', 'aria-labelledby': 'setup-heading' }, heading, form));

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
    packLegend.textContent = t('setup.pack');
    start.textContent = t('setup.start');
    back.textContent = t('menu.back');
    const checked = packList.querySelector<HTMLInputElement>('input[name="pack"]:checked')?.value;
    const packs = [...state.library.builtIn, ...state.library.loaded];
    if (state.library.status !== 'ready') fill(packList, h('p', {}, t('packs.libraryLoading')));
    else
      fill(
        packList,
        ...packs.map((p, k) => {
          const id = `pack-${p.pack.id}`;
          const input = h('input', { type: 'radio', name: 'pack', id, value: p.pack.id, checked: checked ? checked === p.pack.id : k === 0 });
          return h(
            'div',
            { class: 'choice' },
            input,
            h('label', { for: id }, h('strong', {}, localize(p.pack.title, i18n.language, p.pack.locales)), h('span', { class: 'help' }, `${localize(p.pack.summary, i18n.language, p.pack.locales)} · ${t('packs.rounds', { count: p.scenario.rounds.length })} · ${t('packs.minutes', { count: p.pack.minutes })}`)),
          );
        }),
      );
  };
  return followLibrary(store, i18n, heading, render, (state, previous) => state.library !== previous.library);
}
