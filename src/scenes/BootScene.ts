import * as Phaser from 'phaser';
import type { I18n } from '../i18n';
import { FONT_STACK, PALETTE, colourNumber, type PaletteRole } from './theme';

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

const SKIN_TONES = [0x8d5524, 0xe0ac69, 0x5c3a21, 0xf1c27d, 0xc68642, 0xffdbac] as const;
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
 * Redraws on resize (Scale.RESIZE keeps the canvas 1:1 with CSS pixels, so text stays crisp) and
 * on a language change.
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

    const titleSize = Math.round(Phaser.Math.Clamp(Math.min(width / 12, height / 7), 36, 112));
    const taglineSize = Math.round(Phaser.Math.Clamp(titleSize * 0.26, 16, 28));
    const centreX = Math.round(width / 2);

    title.setFontSize(titleSize).setPosition(centreX, Math.round(height * 0.4));
    tagline
      .setFontSize(taglineSize)
      .setWordWrapWidth(Math.min(width * 0.86, taglineSize * 44))
      .setPosition(centreX, Math.round(title.y + titleSize * 0.75));

    art.clear();
    this.drawTarget(art, centreX, Math.round(height * 0.4 - titleSize * 1.45), titleSize * 0.5);
    this.drawStreet(art, width, height);
  }

  /** The "targets" half of the name: three rings and a bullseye in the primary blue. */
  private drawTarget(g: Phaser.GameObjects.Graphics, x: number, y: number, radius: number): void {
    const primary = colourNumber('primary');
    const ring = Math.max(3, radius * 0.14);
    g.lineStyle(ring, primary, 1);
    g.strokeCircle(x, y, radius - ring / 2);
    g.strokeCircle(x, y, radius * 0.62);
    g.fillStyle(primary, 1);
    g.fillCircle(x, y, radius * 0.26);
    // A music note's flag crossing the target: the "tracks" half.
    g.lineStyle(ring * 0.8, colourNumber('text'), 1);
    g.lineBetween(x + radius * 0.9, y - radius * 1.05, x + radius * 0.9, y + radius * 0.35);
    g.fillStyle(colourNumber('text'), 1);
    g.fillEllipse(x + radius * 0.68, y + radius * 0.4, radius * 0.55, radius * 0.4);
    g.fillTriangle(
      x + radius * 0.9,
      y - radius * 1.05,
      x + radius * 1.35,
      y - radius * 0.8,
      x + radius * 0.9,
      y - radius * 0.62,
    );
  }

  /** A street of listeners with headphones; some send signals (sky-blue arcs). */
  private drawStreet(g: Phaser.GameObjects.Graphics, width: number, height: number): void {
    const groundY = Math.round(height * 0.9);
    const unit = Phaser.Math.Clamp(height / 16, 28, 64);
    const spacing = unit * 1.9;
    const count = Math.max(3, Math.floor((width - unit) / spacing));
    const startX = (width - (count - 1) * spacing) / 2;

    g.lineStyle(2, colourNumber('mutedText'), 0.35);
    g.lineBetween(0, groundY + 1, width, groundY + 1);

    for (let i = 0; i < count; i++) {
      this.drawListener(g, startX + i * spacing, groundY, unit, streetFigure(i));
    }
  }

  private drawListener(
    g: Phaser.GameObjects.Graphics,
    x: number,
    groundY: number,
    unit: number,
    figure: StreetFigure,
  ): void {
    const ink = colourNumber('text');
    const stroke = Math.max(2, unit * 0.07);
    const bodyHeight = unit * 1.05 * figure.height * (figure.wheelchair ? 0.62 : 1);
    const bodyWidth = unit * 0.62;
    const legs = figure.wheelchair ? unit * 0.35 : unit * 0.55 * figure.height;
    const bodyTop = groundY - legs - bodyHeight;
    const headRadius = unit * 0.27;
    const headY = bodyTop - headRadius * 1.05;

    // Legs, or a wheelchair.
    if (figure.wheelchair) {
      g.lineStyle(stroke, ink, 1);
      g.strokeCircle(x - unit * 0.05, groundY - unit * 0.38, unit * 0.36);
      g.lineBetween(x + unit * 0.3, groundY - unit * 0.45, x + unit * 0.3, bodyTop - unit * 0.1);
    } else {
      g.lineStyle(stroke * 1.4, ink, 1);
      g.lineBetween(x - bodyWidth * 0.2, groundY - legs, x - bodyWidth * 0.22, groundY);
      g.lineBetween(x + bodyWidth * 0.2, groundY - legs, x + bodyWidth * 0.22, groundY);
    }

    // Body and head.
    g.fillStyle(colourNumber(figure.shirt), 1);
    g.fillRoundedRect(x - bodyWidth / 2, bodyTop, bodyWidth, bodyHeight, bodyWidth * 0.3);
    g.fillStyle(figure.skin, 1);
    g.fillCircle(x, headY, headRadius);

    // Headphones: a band over the head and two ear cups.
    g.lineStyle(stroke, ink, 1);
    g.beginPath();
    g.arc(x, headY, headRadius * 1.18, Math.PI * 1.05, Math.PI * 1.95);
    g.strokePath();
    g.fillStyle(ink, 1);
    const cupW = headRadius * 0.42;
    const cupH = headRadius * 0.8;
    g.fillRoundedRect(x - headRadius * 1.28, headY - cupH * 0.35, cupW, cupH, cupW * 0.4);
    g.fillRoundedRect(x + headRadius * 1.28 - cupW, headY - cupH * 0.35, cupW, cupH, cupW * 0.4);

    // What the phone gives away.
    if (figure.signalling) {
      g.lineStyle(stroke, colourNumber('signal'), 1);
      for (let k = 1; k <= 3; k++) {
        g.beginPath();
        g.arc(x, headY - headRadius * 0.2, headRadius * (1.35 + 0.45 * k), Math.PI * 1.3, Math.PI * 1.7);
        g.strokePath();
      }
    }
  }
}
