import * as Phaser from 'phaser';
import type { I18n } from '../i18n';
import { drawListener, drawSignalArcs, drawTargetMark } from './figureArt';
import { FONT_STACK, PALETTE, colourNumber, type PaletteRole } from './theme';
import { SKIN_TONES } from './worldLayout';

export interface BootSceneOptions {
  i18n: I18n;
  /** Called once, after the first frame of the title screen has been drawn. */
  onFirstRender: () => void;
}

/** A listener on the title screen's street. Fixed, so the title screen looks the same every time. */
interface StreetFigure {
  skin: number;
  shirt: PaletteRole;
  /** 0.8 for a teenager … 1.0 for a tall adult. */
  height: number;
  wheelchair: boolean;
  /** Shows the sky-blue "signal" arcs above the head. */
  signalling: boolean;
}

const SHIRTS: readonly PaletteRole[] = ['primary', 'positive', 'segment', 'warning', 'signal', 'danger'];

function streetFigure(i: number): StreetFigure {
  return {
    skin: SKIN_TONES[(i * 5) % SKIN_TONES.length] ?? 0xc68642,
    shirt: SHIRTS[(i * 7 + 1) % SHIRTS.length] ?? 'primary',
    height: [1, 0.86, 0.95, 0.8, 0.92, 1][i % 6] ?? 1,
    wheelchair: i % 5 === 3,
    signalling: i % 3 !== 1,
  };
}

/**
 * The title screen: the game's name (from i18next) over a street of listeners with headphones.
 * Redraws on resize (the canvas has one pixel per device pixel, so text stays crisp, see startGame)
 * and on a language change.
 */
export class BootScene extends Phaser.Scene {
  private readonly deps: BootSceneOptions;
  private title?: Phaser.GameObjects.Text;
  private tagline?: Phaser.GameObjects.Text;
  private art?: Phaser.GameObjects.Graphics;

  constructor(deps: BootSceneOptions) {
    super({ key: 'BootScene' });
    this.deps = deps;
  }

  create(): void {
    const { i18n } = this.deps;
    this.art = this.add.graphics();
    this.title = this.add
      .text(0, 0, i18n.t('app.title'), {
        fontFamily: FONT_STACK,
        fontStyle: 'bold',
        color: PALETTE.text,
        align: 'center',
      })
      .setOrigin(0.5, 0.5);
    this.tagline = this.add
      .text(0, 0, i18n.t('app.tagline'), {
        fontFamily: FONT_STACK,
        color: PALETTE.mutedText,
        align: 'center',
      })
      .setOrigin(0.5, 0);

    this.layout(this.scale.width, this.scale.height);

    const onResize = (gameSize: Phaser.Structs.Size): void => {
      this.cameras.resize(gameSize.width, gameSize.height);
      this.layout(gameSize.width, gameSize.height);
    };
    const onLanguageChanged = (): void => {
      this.title?.setText(i18n.t('app.title'));
      this.tagline?.setText(i18n.t('app.tagline'));
      this.layout(this.scale.width, this.scale.height);
    };
    this.scale.on(Phaser.Scale.Events.RESIZE, onResize);
    i18n.on('languageChanged', onLanguageChanged);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.scale.off(Phaser.Scale.Events.RESIZE, onResize);
      i18n.off('languageChanged', onLanguageChanged);
    });

    this.events.once(Phaser.Scenes.Events.RENDER, () => this.deps.onFirstRender());
  }

  private layout(width: number, height: number): void {
    const { title, tagline, art } = this;
    if (!title || !tagline || !art) return;

    // Sizes are in canvas pixels: k of them per CSS pixel on HiDPI screens (see startGame).
    const k = 1 / this.scale.zoom;
    const titleSize = Math.round(Phaser.Math.Clamp(Math.min(width / 12, height / 7), 36 * k, 112 * k));
    const taglineSize = Math.round(Phaser.Math.Clamp(titleSize * 0.26, 16 * k, 28 * k));
    const centreX = Math.round(width / 2);

    title.setFontSize(titleSize).setPosition(centreX, Math.round(height * 0.4));
    tagline
      .setFontSize(taglineSize)
      .setWordWrapWidth(Math.min(width * 0.86, taglineSize * 44))
      .setPosition(centreX, Math.round(title.y + titleSize * 0.75));

    art.clear();
    drawTargetMark(art, centreX, Math.round(height * 0.4 - titleSize * 1.45), titleSize * 0.5);
    this.drawStreet(art, width, height);
  }

  /** A street of listeners with headphones; some send signals (sky-blue arcs). */
  private drawStreet(g: Phaser.GameObjects.Graphics, width: number, height: number): void {
    const groundY = Math.round(height * 0.9);
    const k = 1 / this.scale.zoom;
    const unit = Phaser.Math.Clamp(height / 16, 28 * k, 64 * k);
    const spacing = unit * 1.9;
    const count = Math.max(3, Math.floor((width - unit) / spacing));
    const startX = (width - (count - 1) * spacing) / 2;

    g.lineStyle(2 * k, colourNumber('mutedText'), 0.35);
    g.lineBetween(0, groundY + 1, width, groundY + 1);

    for (let i = 0; i < count; i++) {
      const figure = streetFigure(i);
      const x = startX + i * spacing;
      const m = drawListener(g, x, groundY, unit, { ...figure, shirt: colourNumber(figure.shirt) });
      // What the phone gives away.
      if (figure.signalling) drawSignalArcs(g, x, m.headY, m.headRadius, m.stroke, 3);
    }
  }
}
