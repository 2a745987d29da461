/**
 * The instructor's pack screen: built-in and loaded packs with their chapters, loading a pack from
 * a file (picker or drag-and-drop) or a link, and a loaded pack's problems in plain language.
 */
import type { I18n } from '../i18n';
import { sourceFromFile, sourceFromUrl } from '../packs/browserSources';
import { localize } from '../packs/text';
import type { AppStore, AppState } from '../store/appStore';
import type { LibraryPack } from '../store/packLibrary';
import { dropZone, fill, h } from './dom';
import { followLibrary } from './libraryScreen';

export function renderPacksScreen(root: HTMLElement, store: AppStore, i18n: I18n): () => void {
  const t = i18n.t.bind(i18n);
  const heading = h('h2', { id: 'packs-heading', tabindex: -1 });
  const intro = h('p', { class: 'lead' });
  const status = h('p', { class: 'load-status', role: 'status', 'aria-live': 'polite' });
  const problems = h('div', { class: 'problems', role: 'alert' });
  const builtIn = h('section', { 'aria-labelledby': 'builtin-heading' });
  const loaded = h('section', { 'aria-labelledby': 'loaded-heading' });

  const fileInput = h('input', { type: 'file', id: 'pack-file', accept: '.json,.zip,application/json,application/zip', class: 'file-input' });
  const fileLabel = h('label', { for: 'pack-file', class: 'button button--primary' });
  const dropHint = h('p', { class: 'drop-hint' });
  const drop = h('div', { class: 'dropzone' }, fileInput, fileLabel, dropHint);
  const urlInput = h('input', { type: 'url', id: 'pack-url', name: 'pack-url', inputmode: 'url', autocomplete: 'off', placeholder: 'https://' });
  const urlLabel = h('label', { for: 'pack-url' });
  const urlButton = h('button', { type: 'submit', class: 'button' });
  const urlForm = h('form', { class: 'url-form' }, urlLabel, urlInput, urlButton);
  const loadHeading = h('h3');
  const back = h('button', { type: 'button', class: 'button' });

  const load = (origin: string, pending: ReturnType<typeof sourceFromFile>) => void store.getState().addFromSource(origin, pending);
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) load(file.name, sourceFromFile(file));
    fileInput.value = '';
  });
  dropZone(drop, (data) => {
    const file = data.files[0];
    if (file) load(file.name, sourceFromFile(file));
  });
  urlForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const url = urlInput.value.trim();
    if (url) load(url, sourceFromUrl(url, location.href));
  });
  back.addEventListener('click', () => store.getState().go('title'));

  const screen = h(
    'section',
    { class: 'screen screen--packs', 'aria-labelledby': 'packs-heading' },
    heading,
    intro,
    h('section', { class: 'load-box' }, loadHeading, drop, urlForm, status, problems),
    builtIn,
    loaded,
    h('p', {}, back),
  );
  fill(root, screen);

  const packCard = (entry: LibraryPack) => {
    const { pack } = entry;
    const lang = i18n.language;
    const title = localize(pack.title, lang, pack.locales);
    const chapters = h(
      'ul',
      { class: 'chapters' },
      ...pack.chapters.map((c) =>
        h('li', {}, t('packs.chapter', { textbook: t(`textbook.${c.textbook}`), edition: c.edition, chapter: c.chapter, topic: t(`topic.${c.topic}`) })),
      ),
    );
    const remove = entry.builtIn ? null : h('button', { type: 'button', class: 'button button--quiet' }, t('packs.remove', { title }));
    remove?.addEventListener('click', () => {
      store.getState().removeLoaded(pack.id);
      status.textContent = t('packs.removed', { title });
    });
    return h(
      'li',
      { class: 'pack-card', 'data-pack-id': pack.id },
      h('h4', { lang: typeof pack.title === 'string' ? undefined : lang }, title),
      h('p', {}, localize(pack.summary, lang, pack.locales)),
      h(
        'p',
        { class: 'facts' },
        [t('packs.rounds', { count: pack.scenario.rounds.length }), t('packs.minutes', { count: pack.minutes }), t(`difficulty.${pack.difficulty}`), t('packs.version', { version: pack.version }), t('packs.languages', { list: pack.locales.join(', ') })].join(' · '),
      ),
      h('details', {}, h('summary', {}, t('packs.chapters')), chapters),
      remove,
    );
  };

  const render = (state: AppState) => {
    heading.textContent = t('packs.heading');
    intro.textContent = t('packs.intro');
    loadHeading.textContent = t('packs.loadHeading');
    fileLabel.textContent = t('packs.chooseFile');
    dropHint.textContent = t('packs.dropHint');
    urlLabel.textContent = t('packs.urlLabel');
    urlButton.textContent = t('packs.urlLoad');
    back.textContent = t('menu.back');
    urlButton.disabled = state.busy;

    const report = state.lastLoad;
    if (state.busy) status.textContent = t('packs.loading');
    else if (report && !report.pack) status.textContent = '';
    else if (report?.pack) status.textContent = `${t('packs.loaded', { title: localize(report.pack.pack.title, i18n.language, report.pack.pack.locales) })}${report.saved ? '' : ` ${t('packs.notSaved')}`}`;
    if (report && !report.pack)
      fill(
        problems,
        h('h3', {}, t('packs.problemsHeading', { origin: report.origin })),
        h('p', {}, t('packs.problemsIntro', { count: report.problems.length })),
        h('ul', {}, ...report.problems.map((p) => h('li', {}, h('code', {}, p.path ? `${p.file} → ${p.path}` : p.file), ` ${p.message}`))),
      );
    else fill(problems);

    const lib = state.library;
    fill(
      builtIn,
      h('h3', { id: 'builtin-heading' }, t('packs.builtInHeading')),
      lib.status === 'ready' ? h('ul', { class: 'pack-list' }, ...lib.builtIn.map(packCard)) : h('p', {}, t('packs.libraryLoading')),
    );
    fill(
      loaded,
      h('h3', { id: 'loaded-heading' }, t('packs.loadedHeading')),
      lib.loaded.length ? h('ul', { class: 'pack-list' }, ...lib.loaded.map(packCard)) : h('p', {}, t('packs.noneLoaded')),
    );
  };

  return followLibrary(store, i18n, heading, render);
}

