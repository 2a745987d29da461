/**
 * The one store of the app (zustand, vanilla): which screen is shown and the pack library.
 * Scenes and panels subscribe to it and call its actions; no Phaser or DOM object enters it.
 */
import { createStore } from 'zustand/vanilla';
import type { SourceResult } from '../packs/browserSources';
import type { Problem } from '../packs/problems';
import { addPack, loadBuiltInPacks, loadStoredPacks, removePack, type LibraryPack } from './packLibrary';

export type ScreenName = 'title' | 'packs';

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
}

export interface AppActions {
  go(screen: ScreenName): void;
  openLibrary(): Promise<void>;
  /** Adds a pack from a file or link (the source may already have failed to read). */
  addFromSource(origin: string, source: Promise<SourceResult>): Promise<void>;
  removeLoaded(id: string): void;
}

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore() {
  return createStore<AppState & AppActions>()((set, get) => ({
    screen: 'title',
    library: { status: 'idle', builtIn: [], loaded: [] },
    lastLoad: null,
    busy: false,

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
  }));
}
