/**
 * Creates the Phaser game. This module (and everything under src/scenes) is loaded with a dynamic
 * import from src/main.ts, so Phaser lands in its own chunk and never in anything vitest imports.
 */
import * as Phaser from 'phaser';
import type { I18n } from '../i18n';
import { BootScene } from './BootScene';
import { PALETTE } from './theme';

export interface StartGameOptions {
  /** The element the canvas fills (sized by CSS; Scale.RESIZE follows it). */
  parent: HTMLElement;
  i18n: I18n;
  /** Called once the title screen's first frame is drawn. */
  onReady: (info: { renderer: 'webgl' | 'canvas' }) => void;
}

export function startGame({ parent, i18n, onReady }: StartGameOptions): Phaser.Game {
  const game: Phaser.Game = new Phaser.Game({
    type: Phaser.WEBGL,
    title: 'Tracks & Targets',
    banner: false,
    backgroundColor: PALETTE.paper,
    scale: {
      parent,
      mode: Phaser.Scale.RESIZE,
      width: '100%',
      height: '100%',
      expandParent: false,
      autoRound: true,
    },
    render: { antialias: true, powerPreference: 'default' },
    // Phaser captures no keys unless a scene asks for them, so DOM form fields keep theirs.
    input: { keyboard: true, mouse: true, touch: true, gamepad: false },
    scene: [
      new BootScene({
        i18n,
        onFirstRender: () =>
          onReady({ renderer: game.renderer.type === Phaser.WEBGL ? 'webgl' : 'canvas' }),
      }),
    ],
  });
  return game;
}
