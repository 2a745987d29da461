/**
 * The one store of the app (zustand, vanilla): which screen is shown and the pack library.
 * Scenes and panels subscribe to it and call its actions; no Phaser or DOM object enters it.
 */
import { createStore } from 'zustand/vanilla';
import type { SourceResult } from '../packs/browserSources';
import type { Problem } from '../packs/problems';
import type { PlainDecisions } from '../sim';
import { deriveGame, type GameView } from './game';
import { addPack, loadBuiltInPacks, loadStoredPacks, removePack, type LibraryPack } from './packLibrary';
import { readSavedSession, SESSION_STORAGE_KEY, SESSION_VERSION, writeSavedSession, type Phase, type SavedSession } from './session';

/**
 * 'title': the title screen; 'packs': the instructor's pack library; 'setup': a student starts a
 * game; 'game': playing; 'classSetup': an instructor sets up a class; 'dashboard': an instructor
 * checks the class's score files.
 */
export type ScreenName = 'title' | 'packs' | 'setup' | 'game' | 'classSetup' | 'dashboard';

export interface Settings {
  reducedMotion: boolean;
  /** Root font size factor: 1, 1.25 or 1.5. */
  textScale: number;
  sound: boolean;
  /** 'colourBlind': colours that carry meaning switch to a set safe for every colour blindness. */
  palette: 'standard' | 'colourBlind';
}

export interface StartOptions {
  packId: string;
  nickname: string;
  classCode: string | null;
  seed: number;
  listeners?: number;
}

export interface LoadReport {
  origin: string;
  problems: Problem[];
  /** Id and title of the pack when it loaded. */
  pack: LibraryPack | null;
  saved: boolean;
}

export interface AppState {
  screen: ScreenName;
  library: { status: 'idle' | 'loading' | 'ready'; builtIn: LibraryPack[]; loaded: LibraryPack[] };
  lastLoad: LoadReport | null;
  /** A load from a file or link is in progress. */
  busy: boolean;
  game: GameView | null;
  settings: Settings;
  /** A message for the player about their saved game (e.g. it could not be read). */
  notice: { kind: 'savedGameUnreadable' | 'savedPackMissing'; detail: string } | null;
}

export interface AppActions {
  go(screen: ScreenName): void;
  openLibrary(): Promise<void>;
  /** Adds a pack from a file or link (the source may already have failed to read). */
  addFromSource(origin: string, source: Promise<SourceResult>): Promise<void>;
  removeLoaded(id: string): void;
  /** Reads the saved game, if any (call once the library is ready). */
  resumeSaved(): Promise<void>;
  startGame(options: StartOptions): Promise<void>;
  /** Changes the current round's decisions (saved at once). */
  setDraft(change: Partial<PlainDecisions>): void;
  setPhase(phase: Phase): void;
  /** Plays the current round with the draft decisions and shows the results. */
  playRound(): void;
  /** Records the quiz answers of the last round played (they count in its score). */
  answerQuiz(answers: number[]): void;
  /** After the debrief: the next round, or the final report after the last. */
  nextRound(): void;
  quitGame(): void;
  dismissNotice(): void;
  setSettings(change: Partial<Settings>): void;
}

const SETTINGS_KEY = 'tracks-and-targets.settings';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function initialSettings(): Settings {
  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const defaults: Settings = { reducedMotion: reduced, textScale: 1, sound: false, palette: 'standard' };
  try {
    const saved = JSON.parse(storage()?.getItem(SETTINGS_KEY) ?? '{}') as Partial<Settings>;
    return {
      reducedMotion: typeof saved.reducedMotion === 'boolean' ? saved.reducedMotion : defaults.reducedMotion,
      textScale: [1, 1.25, 1.5].includes(saved.textScale as number) ? (saved.textScale as number) : 1,
      sound: typeof saved.sound === 'boolean' ? saved.sound : false,
      palette: saved.palette === 'colourBlind' ? 'colourBlind' : 'standard',
    };
  } catch {
    return defaults;
  }
}

function save(session: SavedSession | null): void {
  try {
    if (session) storage()?.setItem(SESSION_STORAGE_KEY, writeSavedSession(session));
    else storage()?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage full or blocked: the game goes on, it just won't survive a reload.
  }
}

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore() {
  const store = createStore<AppState & AppActions>()((set, get) => ({
    screen: 'title',
    library: { status: 'idle', builtIn: [], loaded: [] },
    lastLoad: null,
    busy: false,
    game: null,
    settings: initialSettings(),
    notice: null,

    go: (screen) => set({ screen }),

    async openLibrary() {
      if (get().library.status !== 'idle') return;
      set({ library: { ...get().library, status: 'loading' } });
      const builtIn = await loadBuiltInPacks();
      set({ library: { status: 'ready', builtIn, loaded: loadStoredPacks() } });
    },

    async addFromSource(origin, pending) {
      set({ busy: true, lastLoad: null });
      const source = await pending;
      // Let the page show "loading" before validation (smoke games) takes the main thread.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const report: LoadReport = source.ok
        ? { origin, ...addPack(source.source) }
        : { origin, problems: source.problems, pack: null, saved: false };
      const { library } = get();
      const loaded = report.pack ? [...library.loaded.filter((p) => p.pack.id !== report.pack!.pack.id), report.pack] : library.loaded;
      set({ busy: false, lastLoad: report, library: { ...library, loaded } });
    },

    removeLoaded(id) {
      removePack(id);
      const { library } = get();
      set({ library: { ...library, loaded: library.loaded.filter((p) => p.pack.id !== id) } });
    },

    async resumeSaved() {
      const read = readSavedSession(storage()?.getItem(SESSION_STORAGE_KEY) ?? null);
      if (read.status === 'none') return;
      if (read.status === 'unreadable') {
        save(null);
        set({ notice: { kind: 'savedGameUnreadable', detail: read.reason } });
        return;
      }
      await get().openLibrary();
      const { library } = get();
      const saved = read.session;
      const pack = [...library.builtIn, ...library.loaded].find((p) => p.pack.id === saved.pack.id && p.hash === saved.pack.hash);
      if (!pack) {
        save(null);
        set({ notice: { kind: 'savedPackMissing', detail: `${saved.pack.id} ${saved.pack.version}` } });
        return;
      }
      try {
        set({ game: deriveGame(pack, saved), screen: 'game' });
      } catch (e) {
        save(null);
        set({ notice: { kind: 'savedGameUnreadable', detail: e instanceof Error ? e.message : String(e) } });
      }
    },

    async startGame({ packId, nickname, classCode, seed, listeners }) {
      await get().openLibrary();
      const { library } = get();
      const pack = [...library.builtIn, ...library.loaded].find((p) => p.pack.id === packId);
      if (!pack) throw new Error(`no pack "${packId}"`);
      const now = new Date().toISOString();
      const saved: SavedSession = {
        version: SESSION_VERSION,
        pack: { id: pack.pack.id, version: pack.pack.version, hash: pack.hash, builtIn: pack.builtIn },
        seed: seed >>> 0,
        listeners: listeners ?? pack.scenario.population.defaultListeners,
        classCode,
        nickname,
        rounds: [],
        draft: {},
        phase: 'briefing',
        startedAt: now,
        updatedAt: now,
      };
      save(saved);
      set({ game: deriveGame(pack, saved), screen: 'game' });
    },

    setDraft(change) {
      update((saved) => ({ ...saved, draft: { ...saved.draft, ...change } }));
    },

    setPhase(phase) {
      update((saved) => ({ ...saved, phase }));
    },

    playRound() {
      update((saved) => ({ ...saved, rounds: [...saved.rounds, { ...saved.draft, quiz: [] }], phase: 'results' }));
    },

    answerQuiz(answers) {
      update((saved) => {
        const rounds = [...saved.rounds];
        const last = rounds.length - 1;
        if (last < 0) return saved;
        rounds[last] = { ...rounds[last], quiz: answers };
        return { ...saved, rounds };
      });
    },

    nextRound() {
      const game = get().game;
      if (!game) return;
      const done = game.saved.rounds.length >= game.scenario.rounds.length;
      // The next round starts from the decisions in force (closed areas and carry-over apply).
      update((saved) => ({ ...saved, draft: {}, phase: done ? 'final' : 'briefing' }));
    },

    quitGame() {
      save(null);
      set({ game: null, screen: 'title' });
    },

    dismissNotice() {
      set({ notice: null });
    },

    setSettings(change) {
      const settings = { ...get().settings, ...change };
      try {
        storage()?.setItem(SETTINGS_KEY, JSON.stringify(settings));
      } catch {
        // not fatal
      }
      set({ settings });
    },
  }));

  /** Applies a change to the saved session, saves it, and re-derives the game. */
  function update(change: (saved: SavedSession) => SavedSession): void {
    const game = store.getState().game;
    if (!game) return;
    const saved = { ...change(game.saved), updatedAt: new Date().toISOString() };
    save(saved);
    store.setState({ game: deriveGame(game.pack, saved, game) });
  }
  return store;
}
