/**
 * The instructor dashboard: drop a class's score files (many at once, a folder or a .zip); a Web
 * Worker re-simulates each one and flags edited files, files of another class and unreadable
 * ones; duplicates are merged. Then a sortable class table, the class's choices, harms and quiz
 * results, and two CSV exports. Everything stays in this browser; only the expected class code is
 * remembered.
 */
import type { I18n } from '../../i18n';
import { decodeClassCode } from '../../scores/classCode';
import { classProblems, packsForClass } from '../../scores/classPlay';
import { expectedClass, recentClasses, setExpectedClass } from '../../store/classes';
import type { AppStore } from '../../store/appStore';
import type { LibraryPack } from '../../store/packLibrary';
import { dataTable, downloadText, dropZone, fill, h, scrollingTable } from '../dom';
import { formatsFor, type Formats } from '../format';
import { namesFor, type Names } from '../labels';
import { followLibrary } from '../libraryScreen';
import { histogramSvg, scatterSvg } from './charts';
import {
  byPack,
  choiceShares,
  commonHarms,
  discussionSignal,
  feedbackOf,
  figures,
  gradebookCsv,
  histogram,
  mergeDuplicates,
  quizResults,
  sortStudents,
  summaryCsv,
  verifiedOnly,
  type Share,
  type SortKey,
  type Student,
  type Verified,
} from './classReport';
import { classifyFile, isSystemFile, MAX_BATCH_FILES } from './uploads';
import type { FileVerdict, UploadRefusal, VerifyMessage, VerifyRequest } from './verifyBatch';
import './dashboard.css';


/** A file or zip the instructor dropped; verdicts are null until (re-)verified. */
interface Dropped {
  name: string;
  bytes: Uint8Array | null;
  verdicts: FileVerdict[] | null;
}

interface Picked {
  file: File;
  path: string;
}

/** Every file under the dropped items, folders walked (stops a little past the batch limit). */
async function droppedFiles(data: DataTransfer): Promise<Picked[]> {
  // Entries must be taken while the drop event runs; reading them may wait.
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.() ?? null).filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return [...data.files].map((file) => ({ file, path: file.name }));
  const out: Picked[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (out.length > MAX_BATCH_FILES) return;
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, path: `${prefix}${entry.name}` });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}

export function renderDashboardScreen(root: HTMLElement, store: AppStore, i18n: I18n): () => void {
  const t = i18n.t.bind(i18n);
  let fmt: Formats = formatsFor(i18n.language);

  const heading = h('h2', { id: 'dashboard-heading', tabindex: -1 });
  const intro = h('p', { class: 'lead' });

  const classLabel = h('label', { for: 'dash-class' });
  const classInput = h('input', { type: 'text', id: 'dash-class', name: 'class-code', list: 'dash-classes', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'dash-class-help dash-class-message' });
  const classList = h('datalist', { id: 'dash-classes' });
  const classApply = h('button', { type: 'submit', class: 'button' });
  const classHelp = h('p', { id: 'dash-class-help', class: 'help' });
  const classMessage = h('p', { id: 'dash-class-message', class: 'class-message', 'aria-live': 'polite' });
  const classForm = h('form', { class: 'class-form' }, classLabel, h('div', { class: 'class-row' }, classInput, classApply), classList, classHelp, classMessage);

  const fileInput = h('input', { type: 'file', id: 'dash-files', multiple: true, accept: '.json,.zip,application/json,application/zip', class: 'file-input' });
  const fileLabel = h('label', { for: 'dash-files', class: 'button button--primary' });
  const folderInput = h('input', { type: 'file', id: 'dash-folder', webkitdirectory: true, class: 'file-input' });
  const folderLabel = h('label', { for: 'dash-folder', class: 'button' });
  const dropHint = h('p', { class: 'drop-hint' });
  const drop = h('div', { class: 'dropzone' }, fileInput, fileLabel, folderInput, folderLabel, dropHint);
  const privacy = h('p', { class: 'help' });

  const progress = h('progress', { id: 'dash-progress', max: 1, value: 0 });
  const progressLabel = h('label', { for: 'dash-progress' });
  const progressText = h('p', { class: 'progress-text', role: 'status', 'aria-live': 'polite' });
  const progressBox = h('div', { class: 'progress-box' }, progressLabel, progress, progressText);
  const failure = h('p', { class: 'form-error', role: 'alert' });

  const summary = h('p', { class: 'dash-summary', role: 'status', 'aria-live': 'polite' });
  const gradebookButton = h('button', { type: 'button', class: 'button button--primary' });
  const summaryButton = h('button', { type: 'button', class: 'button' });
  const clearButton = h('button', { type: 'button', class: 'button button--quiet' });
  const exportsBox = h('div', { class: 'actions dash-exports' }, gradebookButton, summaryButton, clearButton);
  const gradebookHelp = h('p', { class: 'help' });
  const results = h('div', { class: 'dash-results' });
  const back = h('button', { type: 'button', class: 'button' });

  const loadHeading = h('h3');
  const classHeading = h('h3');
  fill(
    root,
    h(
      'section',
      // Not labelled by its heading: "Score files" must name only the file input.
      { class: 'screen screen--dashboard' },
      heading,
      intro,
      h('section', { class: 'load-box' }, classHeading, classForm),
      h('section', { class: 'load-box' }, loadHeading, drop, privacy, progressBox, failure),
      summary,
      exportsBox,
      gradebookHelp,
      results,
      h('p', {}, back),
    ),
  );

  let dropped: Dropped[] = [];
  /** The normal form of the class the files must belong to; null accepts any class. */
  let expected: string | null = null;
  let sort: { key: SortKey; direction: 'ascending' | 'descending' } | null = null;
  let workers: Worker[] = [];
  let job = 0;
  let busy = false;
  let done = 0;
  let total = 0;
  let spokenAt = 0;

  const library = (): LibraryPack[] => {
    const lib = store.getState().library;
    return [...lib.builtIn, ...lib.loaded];
  };
  const packOf = (file: { pack: { id: string; hash: string } }) => library().find((p) => p.pack.id === file.pack.id && p.hash === file.pack.hash);
  const say = (v: FileVerdict): string => {
    const f = feedbackOf(v, i18n.language);
    return t(`dashboard.feedback.${f.key}`, f);
  };

  /* ---- the expected class ---- */

  /** Checks the typed code; applies it (re-verifying if it changed) when it reads; says why not otherwise. */
  const applyClass = () => {
    const typed = classInput.value.trim();
    classMessage.classList.remove('form-error');
    classInput.removeAttribute('aria-invalid');
    if (!typed) {
      setExpected(null);
      classMessage.textContent = t('dashboard.classAny');
      return;
    }
    const decoded = decodeClassCode(typed);
    if (!decoded.ok) {
      classMessage.textContent = t(`dashboard.classError.${decoded.error}`);
      classMessage.classList.add('form-error');
      classInput.setAttribute('aria-invalid', 'true');
      return;
    }
    setExpected(decoded.code);
    const s = decoded.settings;
    const pack = packsForClass(s, library()).find((p) => classProblems(s, p).length === 0);
    const listeners = fmt.int(s.listeners);
    classMessage.textContent = pack
      ? t('dashboard.classFound', { code: decoded.code, title: namesFor(pack.pack, i18n).text(pack.pack.title), rounds: s.rounds, listeners })
      : t('dashboard.classNoPack', { code: decoded.code, rounds: s.rounds, listeners });
  };

  const setExpected = (code: string | null) => {
    if (code === expected) return;
    expected = code;
    setExpectedClass(code);
    // Files already checked were checked against the other class: check them again.
    for (const d of dropped) if (d.bytes) d.verdicts = null;
    void run();
  };

  classForm.addEventListener('submit', (e) => {
    e.preventDefault();
    applyClass();
  });
  classInput.addEventListener('change', applyClass);

  /* ---- adding files ---- */

  const addFiles = async (picked: Picked[]) => {
    failure.textContent = '';
    let accepted = 0;
    for (const { file, path } of picked) {
      if (isSystemFile(path)) continue;
      const refuse = (problem: UploadRefusal['problem'], detail: string) =>
        dropped.push({ name: path, bytes: null, verdicts: [{ name: path, status: 'invalid', reason: { kind: 'upload', problem, detail } }] });
      if (++accepted > MAX_BATCH_FILES) {
        refuse('tooMany', String(MAX_BATCH_FILES));
        continue;
      }
      const kind = classifyFile(path, file.size);
      if (typeof kind !== 'string') {
        refuse(kind.kind, kind.detail); // refused unread
        continue;
      }
      try {
        dropped.push({ name: path, bytes: new Uint8Array(await file.arrayBuffer()), verdicts: null });
      } catch (e) {
        refuse('unreadable', e instanceof Error ? e.message : String(e));
      }
    }
    await run();
  };

  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    void addFiles(files.map((file) => ({ file, path: file.name })));
  });
  folderInput.addEventListener('change', () => {
    const files = [...(folderInput.files ?? [])];
    folderInput.value = '';
    void addFiles(files.map((file) => ({ file, path: file.webkitRelativePath || file.name })));
  });
  dropZone(drop, (data) => {
    droppedFiles(data).then(addFiles, (error: unknown) => {
      failure.textContent = t('dashboard.dropFailed', { detail: error instanceof Error ? error.message : String(error) });
    });
  });

  /* ---- verifying in the worker ---- */

  const stopWorker = () => {
    for (const w of workers) w.terminate();
    workers = [];
  };

  const showProgress = () => {
    progress.max = Math.max(1, total);
    progress.value = done;
    progressBox.hidden = !busy && dropped.length === 0;
    // Spoken at most once a second, and at the end.
    const now = Date.now();
    if (!busy || now - spokenAt > 1000 || done === total) {
      spokenAt = now;
      const checked = dropped.reduce((n, d) => n + (d.verdicts?.length ?? 0), 0);
      progressText.textContent = busy ? t('dashboard.progress', { done: fmt.int(done), total: fmt.int(total) }) : t('dashboard.progressDone', { count: checked, n: fmt.int(checked) });
    }
  };

  /** Verifies every dropped file that has no verdict yet (a new run replaces a running one). */
  async function run(): Promise<void> {
    const pending = dropped.filter((d) => d.verdicts === null && d.bytes);
    stopWorker();
    const myJob = ++job;
    if (!pending.length) {
      busy = false;
      renderAll();
      return;
    }
    busy = true;
    done = 0;
    total = pending.length;
    renderAll();
    await store.getState().openLibrary();
    if (myJob !== job) return;
    const packs = library().map((p) => ({ pack: p.pack, scenario: p.scenario, hash: p.hash }));
    const collected = pending.map((): FileVerdict[] => []);
    // One worker per spare core (at most four): each replays a share of the uploads.
    const count = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1, pending.length));
    const shares = Array.from({ length: count }, (_, w) => pending.map((_, i) => i).filter((i) => i % count === w));
    const totals = shares.map((share) => share.length);
    let running = count;
    workers = shares.map((share, w) => {
      const current = new Worker(new URL('./verifyWorker.ts', import.meta.url), { type: 'module' });
      current.addEventListener('message', (event: MessageEvent<VerifyMessage>) => {
        const m = event.data;
        if (m.job !== job) return;
        if (m.type === 'total') {
          // A zip counts as the files in it once the worker has opened it.
          totals[w] = m.total;
          total = totals.reduce((a, b) => a + b, 0);
        } else if (m.type === 'verdict') {
          collected[share[m.upload]!]!.push(m.verdict);
          done++;
        } else if (--running === 0) {
          pending.forEach((d, i) => (d.verdicts = collected[i]!));
          stopWorker();
          busy = false;
          renderAll();
          return;
        }
        showProgress();
      });
      current.addEventListener('error', (event) => {
        if (!workers.includes(current)) return;
        stopWorker();
        busy = false;
        failure.textContent = t('dashboard.workerFailed', { detail: event.message || '?' });
        renderAll();
      });
      const request: VerifyRequest = { job: myJob, uploads: share.map((i) => ({ name: pending[i]!.name, bytes: pending[i]!.bytes! })), packs, expectedClass: expected };
      current.postMessage(request);
      return current;
    });
  }

  /* ---- exports ---- */

  const today = () => new Date().toISOString().slice(0, 10);
  const baseName = () => (expected ? `class-${expected}` : 'scores');
  const rows = () => mergeDuplicates(dropped.flatMap((d) => d.verdicts ?? []));
  const signalAndConsentIds = (students: Verified[]) => {
    const packs = byPack(students).flatMap((g) => packOf(g[0]!.file) ?? []);
    const unique = (ids: string[]) => [...new Set(ids)];
    return {
      signals: unique(packs.flatMap((p) => p.scenario.signals.map((s) => s.id))),
      consents: unique(packs.flatMap((p) => p.scenario.consentDesigns.map((d) => d.id))),
    };
  };
  // A byte-order mark, so that spreadsheet programs read accented nicknames as UTF-8.
  const BOM = '\uFEFF';
  gradebookButton.addEventListener('click', () => {
    downloadText(`${baseName()}-gradebook-${today()}.csv`, BOM + gradebookCsv(rows(), say), 'text/csv');
  });
  summaryButton.addEventListener('click', () => {
    const all = rows();
    const ids = signalAndConsentIds(verifiedOnly(all));
    downloadText(`${baseName()}-summary-${today()}.csv`, BOM + summaryCsv(all, say, ids.signals, ids.consents), 'text/csv');
  });
  clearButton.addEventListener('click', () => {
    stopWorker();
    job++;
    dropped = [];
    busy = false;
    total = 0;
    failure.textContent = '';
    renderAll();
    fileLabel.focus();
  });
  back.addEventListener('click', () => store.getState().go('title'));

  /* ---- rendering ---- */

  const labels = () => {
    fmt = formatsFor(i18n.language);
    heading.textContent = t('dashboard.heading');
    intro.textContent = t('dashboard.intro');
    classHeading.textContent = t('dashboard.classHeading');
    classLabel.textContent = t('dashboard.classLabel');
    classApply.textContent = t('dashboard.classApply');
    classHelp.textContent = t('dashboard.classHelp');
    loadHeading.textContent = t('dashboard.loadHeading');
    fileLabel.textContent = t('dashboard.files');
    folderLabel.textContent = t('dashboard.folder');
    dropHint.textContent = t('dashboard.dropHint');
    privacy.textContent = t('dashboard.privacy');
    progressLabel.textContent = t('dashboard.progressLabel');
    gradebookButton.textContent = t('dashboard.gradebook');
    summaryButton.textContent = t('dashboard.summaryCsv');
    clearButton.textContent = t('dashboard.clear');
    gradebookHelp.textContent = t('dashboard.gradebookHelp');
    back.textContent = t('menu.back');
    fill(classList, ...recentClasses().map((c) => h('option', { value: c.code }, `${c.code} · ${c.packTitle}`)));
  };

  const renderAll = () => {
    const all = rows();
    const counted = { ok: 0, edited: 0, wrongClass: 0, invalid: 0 };
    for (const s of all) counted[s.verdict.status]++;
    const merged = all.reduce((n, s) => n + s.merged.length, 0);
    summary.textContent = all.length
      ? [t('dashboard.summary', { count: all.length, n: fmt.int(all.length), ok: counted.ok, edited: counted.edited, wrongClass: counted.wrongClass, invalid: counted.invalid }), merged ? t('dashboard.mergedCount', { count: merged }) : '']
          .filter(Boolean)
          .join(' ')
      : busy
        ? ''
        : t('dashboard.empty');
    for (const b of [gradebookButton, summaryButton]) b.disabled = busy || all.length === 0;
    clearButton.disabled = dropped.length === 0;
    exportsBox.hidden = all.length === 0;
    gradebookHelp.hidden = all.length === 0;
    showProgress();
    renderResults(all);
  };

  const renderResults = (all: Student[]) => {
    if (!all.length) return fill(results);
    const groups = byPack(verifiedOnly(all));
    fill(results, classTable(all), ...groups.map((g) => groupReport(g, groups.length > 1)));
  };

  const classTable = (all: Student[]): HTMLElement => {
    const sorted = sort ? sortStudents(all, sort.key, sort.direction, i18n.language) : all;
    const columns: { key: SortKey; numeric: boolean }[] = [
      { key: 'nickname', numeric: false },
      { key: 'status', numeric: false },
      { key: 'score', numeric: true },
      { key: 'rounds', numeric: true },
      { key: 'profit', numeric: true },
      { key: 'trust', numeric: true },
    ];
    const head = h(
      'tr',
      {},
      ...columns.map(({ key, numeric }) => {
        const current = sort?.key === key ? sort.direction : null;
        const button = h('button', { type: 'button', class: 'sort-button', 'data-sort': key }, t(`dashboard.column.${key}`), h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : ' ↕'));
        button.addEventListener('click', () => {
          sort = { key, direction: current === 'ascending' ? 'descending' : current === 'descending' ? 'ascending' : numeric ? 'descending' : 'ascending' };
          renderResults(rows());
          results.querySelector<HTMLButtonElement>(`button[data-sort="${key}"]`)?.focus();
        });
        return h('th', { scope: 'col', class: numeric ? 'num' : undefined, 'aria-sort': current ?? undefined }, button);
      }),
    );
    const body = sorted.map((s) => {
      const f = figures(s);
      const v = s.verdict;
      const who = h(
        'td',
        {},
        h('span', { class: 'nickname' }, f.nickname ?? '—'),
        h('span', { class: 'file-name' }, v.name),
        s.merged.length ? h('span', { class: 'merged' }, t('dashboard.merged', { count: s.merged.length, files: s.merged.join(', ') })) : null,
      );
      const status = h('td', {}, h('span', { class: `status-chip status-chip--${v.status}` }, h('span', { 'aria-hidden': 'true' }, STATUS_MARK[v.status]), ` ${t(`dashboard.status.${v.status}`)}`), h('span', { class: 'status-detail' }, say(v)));
      const num = (x: number | null, format: (x: number) => string) => h('td', { class: 'num' }, x === null ? '—' : format(x));
      return h('tr', { 'data-status': v.status }, who, status, num(f.score, fmt.dec1), num(f.rounds, fmt.int), num(f.profit, fmt.money), num(f.trust, fmt.dec1));
    });
    return h(
      'section',
      { 'aria-labelledby': 'class-table-heading' },
      h('h3', { id: 'class-table-heading' }, t('dashboard.tableHeading')),
      h('p', { class: 'help' }, t('dashboard.tableHelp')),
      scrollingTable(h('table', { class: 'class-table' }, h('caption', {}, t('dashboard.tableCaption', { count: all.length, n: fmt.int(all.length) })), h('thead', {}, head), h('tbody', {}, ...body))),
    );
  };

  /** The class's results for one pack: distribution, choices, profit against trust, harms, quiz. */
  const groupReport = (students: Verified[], named: boolean): HTMLElement => {
    const pack = packOf(students[0]!.file);
    const section = h('section', { class: 'dash-group' });
    if (!pack) return section; // cannot happen: verified files were replayed on a pack of the library
    const names = namesFor(pack.pack, i18n);
    const title = names.text(pack.pack.title);
    const n = students.length;
    section.append(
      h('h3', {}, named ? t('dashboard.groupHeadingPack', { title, count: n, n: fmt.int(n) }) : t('dashboard.groupHeading', { count: n, n: fmt.int(n) })),
      distribution(students),
      choices(students, pack, names),
      profitTrust(students),
      harms(students),
      quiz(students, pack, names),
    );
    return section;
  };

  const distribution = (students: Verified[]) => {
    const bins = histogram(students.map((v) => v.file.score.total));
    const binLabel = (b: { from: number; to: number }) => `${fmt.int(b.from)}–${fmt.int(b.to)}`;
    const scores = students.map((v) => v.file.score.total).sort((a, b) => a - b);
    const median = scores.length % 2 ? scores[(scores.length - 1) / 2]! : (scores[scores.length / 2 - 1]! + scores[scores.length / 2]!) / 2;
    const svg = histogramSvg(bins, {
      label: t('dashboard.histogramAlt', { count: students.length, n: fmt.int(students.length), median: fmt.dec1(median), min: fmt.dec1(scores[0]!), max: fmt.dec1(scores.at(-1)!) }),
      x: t('dashboard.scoreAxis'),
      y: t('dashboard.studentsAxis'),
      bin: binLabel,
      count: (c) => (c ? fmt.int(c) : ''),
    });
    return h(
      'figure',
      { class: 'dash-figure' },
      h('figcaption', {}, h('h4', {}, t('dashboard.histogramHeading'))),
      svg,
      h('details', {}, h('summary', {}, t('dashboard.asTable')), dataTable(t('dashboard.histogramHeading'), [t('dashboard.scoreRange'), t('dashboard.studentsAxis')], bins.map((b) => [binLabel(b), fmt.int(b.count)]))),
    );
  };

  const shareTable = (caption: string, what: string, list: Share[], name: (id: string) => string, total: number) => {
    const rows = list.map((s) => {
      const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' });
      // Set through the CSSOM: the Content-Security-Policy forbids style attributes.
      bar.style.width = `${Math.round(s.share * 100)}%`;
      return [name(s.id), t('dashboard.ofStudents', { k: fmt.int(s.students), n: fmt.int(total) }), h('span', { class: 'share-cell' }, h('span', { class: 'share-track' }, bar), h('span', { class: 'figure' }, fmt.pct(s.share)))];
    });
    return dataTable(caption, [what, t('dashboard.studentsAxis'), t('dashboard.share')], rows, { numeric: [false, true, false] });
  };

  const choices = (students: Verified[], pack: LibraryPack, names: Names) => {
    const sc = pack.scenario;
    const { signals, consents } = choiceShares(students, sc.signals.map((s) => s.id), sc.consentDesigns.map((d) => d.id));
    const talkingPoint = discussionSignal(signals, new Set(sc.signals.filter((s) => s.sensitivity >= sc.response.sensitiveFrom).map((s) => s.id)));
    return h(
      'section',
      { class: 'dash-choices' },
      h('h4', {}, t('dashboard.choicesHeading')),
      talkingPoint ? h('p', { class: 'discussion' }, t('dashboard.choiceLine', { share: fmt.pct(talkingPoint.share), signal: names.signal(talkingPoint.id) })) : null,
      h(
        'div',
        { class: 'two-columns' },
        shareTable(t('dashboard.signalsCaption'), t('dashboard.signal'), signals, names.signal, students.length),
        shareTable(t('dashboard.consentsCaption'), t('dashboard.consent'), consents, names.consent, students.length),
      ),
    );
  };

  const profitTrust = (students: Verified[]) => {
    const points = students.map((v) => {
      const f = figures({ verdict: v, merged: [] });
      return { x: f.profit!, y: f.trust ?? 0, label: `${v.file.nickname}: ${fmt.money(f.profit!)}, ${t('dashboard.column.trust')} ${fmt.dec1(f.trust ?? 0)}` };
    });
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const svg = scatterSvg(points, {
      label: t('dashboard.scatterAlt', { count: points.length, n: fmt.int(points.length), minProfit: fmt.money(Math.min(...xs)), maxProfit: fmt.money(Math.max(...xs)), minTrust: fmt.dec1(Math.min(...ys)), maxTrust: fmt.dec1(Math.max(...ys)) }),
      x: t('dashboard.profitAxis'),
      y: t('dashboard.trustAxis'),
      xTick: fmt.money,
      yTick: fmt.int,
    });
    return h('figure', { class: 'dash-figure' }, h('figcaption', {}, h('h4', {}, t('dashboard.scatterHeading')), h('p', { class: 'help' }, t('dashboard.scatterHelp'))), svg);
  };

  const harms = (students: Verified[]) => {
    const list = commonHarms(students);
    return h(
      'section',
      {},
      h('h4', {}, t('dashboard.harmsHeading')),
      list.length
        ? dataTable(
            t('dashboard.harmsCaption'),
            [t('dashboard.issue'), t('dashboard.studentsAxis'), t('dashboard.listenersHarmed')],
            list.map((c) => [c.kind === 'harm' ? t(`harm.${c.id}`) : t(`flag.${c.id}`), t('dashboard.ofStudents', { k: fmt.int(c.students), n: fmt.int(students.length) }), c.kind === 'harm' ? fmt.int(c.listeners) : '—']),
            { className: 'harms-table' },
          )
        : h('p', {}, t('dashboard.noHarms')),
    );
  };

  const quiz = (students: Verified[], pack: LibraryPack, names: Names) => {
    const rounds = pack.pack.lesson.rounds;
    const list = quizResults(students, pack.scenario.rounds.map((r) => r.quizKey)).filter((q) => rounds[q.round]?.quiz[q.question]);
    return h(
      'section',
      {},
      h('h4', {}, t('dashboard.quizHeading')),
      list.length
        ? dataTable(
            t('dashboard.quizCaption'),
            [t('dashboard.question'), t('dashboard.answered'), t('dashboard.right')],
            list.map((q) => {
              const question = rounds[q.round]!.quiz[q.question]!;
              return [
                t('dashboard.questionLabel', { round: q.round + 1, question: names.text(question.question) }),
                fmt.int(q.answered),
                q.answered ? `${fmt.pct(q.correct / q.answered)} (${fmt.int(q.correct)})` : '—',
              ];
            }),
          )
        : h('p', {}, t('dashboard.noQuiz')),
    );
  };

  const render = () => {
    labels();
    applyClass();
    renderAll();
  };

  classInput.value = expectedClass();
  const unfollow = followLibrary(store, i18n, heading, render, (state, previous) => state.library !== previous.library);
  return () => {
    unfollow();
    stopWorker();
    job++;
  };
}

const STATUS_MARK: Record<FileVerdict['status'], string> = { ok: '✓', edited: '✎', wrongClass: '↷', invalid: '✗' };
