/**
 * Creates the Phaser game. This module (and everything under src/scenes) is loaded with a dynamic
 * import from src/main.ts, so Phaser lands in its own chunk and never in anything vitest imports.
 *
 * The scenes follow the store's `screen`: the title art (BootScene) on every screen but the game,
 * the neighbourhood (WorldScene) and the outcome charts over it (ChartScene) while playing.
 */
import * as Phaser from 'phaser';
import type { I18n } from '../i18n';
import type { AppStore, ScreenName } from '../store/appStore';
import { BootScene } from './BootScene';
import { ChartScene } from './ChartScene';
import { PALETTE } from './theme';
import { WorldScene } from './WorldScene';

export interface StartGameOptions {
  /** The element the canvas fills (sized by CSS; the canvas follows it at device resolution). */
  parent: HTMLElement;
  i18n: I18n;
  store: AppStore;
  /** Called once the first frame (title screen or world) is drawn. */
  onReady: (info: { renderer: 'webgl' | 'canvas' }) => void;
}

/**
 * Drawing costs CPU, a lot on a machine without a fast GPU. When nothing moves (reduced motion and
 * no results animation playing) the game loop sleeps; any change in the store, a resize or an
 * animation wakes it for as long as needed.
 */
function sleepWhenStill(game: Phaser.Game, store: AppStore): void {
  let animating = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const still = () => store.getState().settings.reducedMotion && !animating;
  const napSoon = () => {
    clearTimeout(timer);
    // A few frames first, so the scene draws the change it was woken for.
    if (still()) timer = setTimeout(() => still() && game.loop.sleep(), 400);
  };
  const wake = () => {
    if (!game.loop.running) game.loop.wake();
    napSoon();
  };
  store.subscribe(wake);
  window.addEventListener('resize', wake);
  window.addEventListener('tt:animation-start', () => {
    animating = true;
    wake();
  });
  window.addEventListener('tt:animation-done', () => {
    animating = false;
    napSoon();
  });
  napSoon();
}

/** Device pixels per CSS pixel (HiDPI Chromebooks, projectors, browser zoom), capped to spare the GPU. */
function pixelRatio(): number {
  return Math.min(3, Math.max(1, window.devicePixelRatio || 1));
}

/** The parent's size in device pixels, rounded down (so the canvas never overflows a fractional box). */
function deviceSize(parent: HTMLElement, ratio: number): { width: number; height: number } {
  const box = parent.getBoundingClientRect();
  return { width: Math.max(1, Math.floor(box.width * ratio)), height: Math.max(1, Math.floor(box.height * ratio)) };
}

/**
 * Keeps the canvas at the device's resolution: Scale.RESIZE would make it one pixel per CSS pixel,
 * blurred on HiDPI screens. The game size is the parent's size in device pixels and the zoom 1/ratio
 * shrinks it back to the parent's CSS size; scenes convert DOM rectangles with the canvas's ratio.
 */
function followParent(game: Phaser.Game, parent: HTMLElement): void {
  const fit = (): void => {
    const ratio = pixelRatio();
    const { width, height } = deviceSize(parent, ratio);
    if (game.scale.zoom !== 1 / ratio) game.scale.setZoom(1 / ratio);
    if (width !== game.scale.width || height !== game.scale.height) game.scale.resize(width, height);
  };
  new ResizeObserver(fit).observe(parent);
  // A change of browser zoom changes the ratio, not always the parent's CSS size.
  window.addEventListener('resize', fit);
}

export function startGame({ parent, i18n, store, onReady }: StartGameOptions): Phaser.Game {
  let ready = false;
  const onFirstRender = (): void => {
    if (ready) return;
    ready = true;
    onReady({ renderer: game.renderer.type === Phaser.WEBGL ? 'webgl' : 'canvas' });
  };
  const game: Phaser.Game = new Phaser.Game({
    type: Phaser.WEBGL,
    title: 'Tracks & Targets',
    banner: false,
    backgroundColor: PALETTE.paper,
    scale: {
      parent,
      mode: Phaser.Scale.NONE,
      ...deviceSize(parent, pixelRatio()),
      zoom: 1 / pixelRatio(),
      expandParent: false,
      autoRound: true,
    },
    render: { antialias: true, powerPreference: 'default' },
    // 30 frames a second is smooth enough for figures strolling, and halves the work on a Chromebook.
    fps: { limit: 30 },
    // Phaser captures no keys unless a scene asks for them (none does), so DOM form fields keep theirs.
    input: { keyboard: true, mouse: true, touch: true, gamepad: false },
    // Sounds are synthesised by src/audio, only when the player turns sound on: Phaser's own sound
    // manager would open an AudioContext at boot.
    audio: { noAudio: true },
  });
  game.scene.add('BootScene', new BootScene({ i18n, onFirstRender }), false);
  game.scene.add('WorldScene', new WorldScene({ store, onFirstRender }), false);
  // Added last, so the charts draw over the neighbourhood.
  game.scene.add('ChartScene', new ChartScene({ store, i18n }), false);

  const show = (screen: ScreenName): void => {
    const [on, off] = screen === 'game' ? [['WorldScene', 'ChartScene'], ['BootScene']] : [['BootScene'], ['WorldScene', 'ChartScene']];
    for (const key of off) if (game.scene.isActive(key) || game.scene.isPaused(key)) game.scene.stop(key);
    for (const key of on) if (!game.scene.isActive(key)) game.scene.start(key);
  };
  game.events.once(Phaser.Core.Events.READY, () => {
    followParent(game, parent);
    show(store.getState().screen);
    store.subscribe((state, previous) => {
      if (state.screen !== previous.screen) show(state.screen);
    });
    sleepWhenStill(game, store);
  });
  return game;
}
