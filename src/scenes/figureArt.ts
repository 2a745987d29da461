/**
 * Drawing helpers shared by the title screen and the world: listeners with headphones (varied skin
 * tones, hair, ages, wheelchairs and canes), dogs, and the small badges and icons that float over
 * them. Flat fills from the palette, rounded strokes; every icon differs by shape, not colour alone.
 */
import type * as Phaser from 'phaser';
import { colourNumber, type PaletteName } from './theme';
import type { HairStyle } from './worldLayout';

type Graphics = Phaser.GameObjects.Graphics;

export interface FigureLook {
  skin: number;
  shirt: number;
  /** 0.8 for a teenager … 1.0 for a tall adult. */
  height: number;
  wheelchair: boolean;
  hair?: HairStyle;
  hairColour?: number;
  cane?: boolean;
}

export interface FigureMetrics {
  stroke: number;
  bodyTop: number;
  bodyWidth: number;
  bodyHeight: number;
  headY: number;
  headRadius: number;
  /** The top of the headphones' band (where overlays start), relative to the ground line. */
  top: number;
}

/** Sizes of a standing (or seated) figure whose feet are at y = groundY. */
export function figureMetrics(groundY: number, unit: number, look: FigureLook): FigureMetrics {
  const stroke = Math.max(2, unit * 0.07);
  const bodyHeight = unit * 1.05 * look.height * (look.wheelchair ? 0.62 : 1);
  const bodyWidth = unit * 0.62;
  const legs = look.wheelchair ? unit * 0.35 : unit * 0.55 * look.height;
  const bodyTop = groundY - legs - bodyHeight;
  const headRadius = unit * 0.27;
  const headY = bodyTop - headRadius * 1.05;
  return { stroke, bodyTop, bodyWidth, bodyHeight, headY, headRadius, top: headY - headRadius * 1.18 - stroke };
}

/** Hair behind the head (long hair falls behind the shoulders). */
function drawHairBack(g: Graphics, x: number, headY: number, r: number, look: FigureLook): void {
  if (look.hair !== 'long' || look.hairColour === undefined) return;
  g.fillStyle(look.hairColour, 1);
  g.fillRoundedRect(x - r * 1.05, headY - r * 0.6, r * 2.1, r * 2.05, r * 0.5);
}

/** Hair on top of the head, under the headphones' band. */
function drawHairTop(g: Graphics, x: number, headY: number, r: number, look: FigureLook): void {
  if (!look.hair || look.hair === 'none' || look.hairColour === undefined) return;
  g.fillStyle(look.hairColour, 1);
  if (look.hair === 'curly') {
    for (let k = 0; k < 5; k++) {
      const a = Math.PI * (1.05 + k * 0.225);
      g.fillCircle(x + Math.cos(a) * r * 0.82, headY + Math.sin(a) * r * 0.82, r * 0.42);
    }
    return;
  }
  g.slice(x, headY, r * 1.04, Math.PI, Math.PI * 2, false);
  g.fillPath();
  g.fillRect(x - r * 1.04, headY - r * 0.05, r * 2.08, r * 0.22);
  if (look.hair === 'bun') g.fillCircle(x, headY - r * 1.25, r * 0.42);
}

/** A listener with headphones, feet at (x, groundY). Returns where the head and body are. */
export function drawListener(g: Graphics, x: number, groundY: number, unit: number, look: FigureLook): FigureMetrics {
  const ink = colourNumber('text');
  const m = figureMetrics(groundY, unit, look);
  const { stroke, bodyTop, bodyWidth, bodyHeight, headY, headRadius } = m;
  const legs = groundY - bodyTop - bodyHeight;

  // Legs, or a wheelchair.
  if (look.wheelchair) {
    g.lineStyle(stroke, ink, 1);
    g.strokeCircle(x - unit * 0.05, groundY - unit * 0.38, unit * 0.36);
    g.lineBetween(x + unit * 0.3, groundY - unit * 0.45, x + unit * 0.3, bodyTop - unit * 0.1);
  } else {
    g.lineStyle(stroke * 1.4, ink, 1);
    g.lineBetween(x - bodyWidth * 0.2, groundY - legs, x - bodyWidth * 0.22, groundY);
    g.lineBetween(x + bodyWidth * 0.2, groundY - legs, x + bodyWidth * 0.22, groundY);
  }
  if (look.cane) {
    g.lineStyle(stroke, ink, 1);
    g.lineBetween(x + bodyWidth * 0.72, bodyTop + bodyHeight * 0.62, x + bodyWidth * 0.86, groundY);
    g.lineBetween(x + bodyWidth * 0.72, bodyTop + bodyHeight * 0.62, x + bodyWidth * 0.5, bodyTop + bodyHeight * 0.62);
  }

  drawHairBack(g, x, headY, headRadius, look);

  // Body and head.
  g.fillStyle(look.shirt, 1);
  g.fillRoundedRect(x - bodyWidth / 2, bodyTop, bodyWidth, bodyHeight, bodyWidth * 0.3);
  g.fillStyle(look.skin, 1);
  g.fillCircle(x, headY, headRadius);
  drawHairTop(g, x, headY, headRadius, look);
  drawHeadphones(g, x, headY, headRadius, stroke);
  return m;
}

/** Sizes of a listener seen in a window whose sill is at y = sillY. */
export function bustMetrics(sillY: number, unit: number): FigureMetrics {
  const stroke = Math.max(2, unit * 0.07);
  const headRadius = unit * 0.27;
  const bodyTop = sillY - unit * 0.42;
  const headY = bodyTop - headRadius * 1.05;
  return { stroke, bodyTop, bodyWidth: unit * 0.78, bodyHeight: sillY - bodyTop, headY, headRadius, top: headY - headRadius * 1.18 - stroke };
}

/** Head and shoulders in a window, bottom of the window at (x, sillY). */
export function drawBust(g: Graphics, x: number, sillY: number, unit: number, look: FigureLook): FigureMetrics {
  const m = bustMetrics(sillY, unit);
  const { stroke, headRadius, bodyTop, headY, bodyWidth: shoulders } = m;
  drawHairBack(g, x, headY, headRadius, look);
  g.fillStyle(look.shirt, 1);
  g.fillRoundedRect(x - shoulders / 2, bodyTop, shoulders, sillY - bodyTop, { tl: shoulders * 0.3, tr: shoulders * 0.3, bl: 0, br: 0 });
  g.fillStyle(look.skin, 1);
  g.fillCircle(x, headY, headRadius);
  drawHairTop(g, x, headY, headRadius, look);
  drawHeadphones(g, x, headY, headRadius, stroke);
  return m;
}

function drawHeadphones(g: Graphics, x: number, headY: number, headRadius: number, stroke: number): void {
  const ink = colourNumber('text');
  g.lineStyle(stroke, ink, 1);
  g.beginPath();
  g.arc(x, headY, headRadius * 1.18, Math.PI * 1.05, Math.PI * 1.95);
  g.strokePath();
  g.fillStyle(ink, 1);
  const cupW = headRadius * 0.42;
  const cupH = headRadius * 0.8;
  g.fillRoundedRect(x - headRadius * 1.28, headY - cupH * 0.35, cupW, cupH, cupW * 0.4);
  g.fillRoundedRect(x + headRadius * 1.28 - cupW, headY - cupH * 0.35, cupW, cupH, cupW * 0.4);
}

/** Sky-blue arcs over a head: what the phone gives away. */
export function drawSignalArcs(g: Graphics, x: number, headY: number, headRadius: number, stroke: number, count: number): void {
  g.lineStyle(stroke, colourNumber('signal'), 1);
  for (let k = 1; k <= count; k++) {
    g.beginPath();
    g.arc(x, headY - headRadius * 0.2, headRadius * (1.35 + 0.45 * k), Math.PI * 1.3, Math.PI * 1.7);
    g.strokePath();
  }
}

const DOG_COATS = [0x8b5a3c, 0x3a2e25, 0xc9a15a, 0x6b6b6b] as const;

/** A small dog on a leash, standing at (x, groundY) and facing left, towards its walker. */
export function drawDog(g: Graphics, x: number, groundY: number, unit: number, coat: number, leashFrom: { x: number; y: number }): void {
  const ink = colourNumber('text');
  const colour = DOG_COATS[coat % DOG_COATS.length]!;
  const stroke = Math.max(1.5, unit * 0.06);
  const bodyY = groundY - unit * 0.32;
  g.lineStyle(stroke * 1.2, colour, 1);
  for (const dx of [-0.22, -0.08, 0.12, 0.24]) g.lineBetween(x + unit * dx, bodyY, x + unit * dx, groundY);
  g.lineBetween(x + unit * 0.3, bodyY - unit * 0.04, x + unit * 0.44, bodyY - unit * 0.2);
  g.fillStyle(colour, 1);
  g.fillRoundedRect(x - unit * 0.3, bodyY - unit * 0.13, unit * 0.62, unit * 0.26, unit * 0.12);
  g.fillCircle(x - unit * 0.32, bodyY - unit * 0.2, unit * 0.16);
  g.fillEllipse(x - unit * 0.22, bodyY - unit * 0.26, unit * 0.12, unit * 0.2);
  g.fillStyle(ink, 1);
  g.fillCircle(x - unit * 0.46, bodyY - unit * 0.18, unit * 0.04);
  g.lineStyle(Math.max(1, stroke * 0.6), ink, 0.8);
  g.lineBetween(leashFrom.x, leashFrom.y, x - unit * 0.3, bodyY - unit * 0.12);
}

/** A five-pointed star. */
export function fillStar(g: Graphics, x: number, y: number, outer: number, inner: number): void {
  g.beginPath();
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    if (k === 0) g.moveTo(x + Math.cos(a) * r, y + Math.sin(a) * r);
    else g.lineTo(x + Math.cos(a) * r, y + Math.sin(a) * r);
  }
  g.closePath();
  g.fillPath();
}

/** Premium: a white disc with a blue star (no ads for them). */
export function drawPremiumBadge(g: Graphics, x: number, y: number, r: number): void {
  g.fillStyle(colourNumber('panel'), 1);
  g.fillCircle(x, y, r);
  g.lineStyle(Math.max(1, r * 0.14), colourNumber('primary'), 1);
  g.strokeCircle(x, y, r);
  g.fillStyle(colourNumber('primary'), 1);
  fillStar(g, x, y + r * 0.05, r * 0.72, r * 0.32);
}

export type IconKind = 'harm' | 'creepy' | 'purchase' | 'click' | 'optedOut' | 'sawAd';

/** The icons over heads after a round. Each has its own shape (colour never alone). */
export function drawIcon(g: Graphics, kind: IconKind, x: number, y: number, r: number, muted = false, palette: PaletteName = 'standard'): void {
  const ink = colourNumber('text');
  const white = colourNumber('panel');
  const line = Math.max(1.5, r * 0.24);
  switch (kind) {
    case 'click': {
      g.fillStyle(colourNumber('positive', palette), 1);
      g.fillCircle(x, y, r);
      g.lineStyle(line, white, 1);
      g.beginPath();
      g.moveTo(x - r * 0.45, y + r * 0.02);
      g.lineTo(x - r * 0.12, y + r * 0.36);
      g.lineTo(x + r * 0.48, y - r * 0.34);
      g.strokePath();
      break;
    }
    case 'purchase': {
      // A green coin with a dollar sign.
      g.fillStyle(colourNumber('positive', palette), 1);
      g.fillCircle(x, y, r);
      const s = r * 0.24;
      g.lineStyle(line * 0.85, white, 1);
      g.beginPath();
      g.arc(x, y - s, s, -Math.PI * 0.2, Math.PI * 0.5, true);
      g.strokePath();
      g.beginPath();
      g.arc(x, y + s, s, -Math.PI * 0.5, Math.PI * 0.8, false);
      g.strokePath();
      g.lineBetween(x, y - s * 2.75, x, y + s * 2.75);
      break;
    }
    case 'creepy': {
      // An orange warning triangle with "!".
      g.fillStyle(colourNumber('warning', palette), 1);
      g.fillTriangle(x, y - r * 1.1, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8);
      g.lineStyle(line, ink, 1);
      g.lineBetween(x, y - r * 0.45, x, y + r * 0.18);
      g.fillStyle(ink, 1);
      g.fillCircle(x, y + r * 0.48, line * 0.6);
      break;
    }
    case 'harm': {
      // A vermillion heart, cracked.
      g.fillStyle(colourNumber('danger', palette), 1);
      g.fillCircle(x - r * 0.45, y - r * 0.25, r * 0.55);
      g.fillCircle(x + r * 0.45, y - r * 0.25, r * 0.55);
      g.fillTriangle(x - r * 0.97, y - r * 0.05, x + r * 0.97, y - r * 0.05, x, y + r * 0.95);
      g.lineStyle(line * 0.7, white, 1);
      g.beginPath();
      g.moveTo(x + r * 0.05, y - r * 0.55);
      g.lineTo(x - r * 0.15, y - r * 0.1);
      g.lineTo(x + r * 0.15, y + r * 0.15);
      g.lineTo(x - r * 0.02, y + r * 0.6);
      g.strokePath();
      break;
    }
    case 'optedOut': {
      // An eye, crossed out.
      const colour = muted ? colourNumber('mutedText') : ink;
      g.fillStyle(white, 1);
      g.fillCircle(x, y, r);
      g.lineStyle(Math.max(1, line * 0.55), colour, 1);
      g.strokeCircle(x, y, r);
      g.beginPath();
      g.arc(x, y + r * 0.55, r * 0.9, Math.PI * 1.22, Math.PI * 1.78);
      g.strokePath();
      g.beginPath();
      g.arc(x, y - r * 0.55, r * 0.9, Math.PI * 0.22, Math.PI * 0.78);
      g.strokePath();
      g.fillStyle(colour, 1);
      g.fillCircle(x, y, r * 0.2);
      g.lineStyle(Math.max(1, line * 0.7), colour, 1);
      g.lineBetween(x - r * 0.62, y + r * 0.62, x + r * 0.62, y - r * 0.62);
      break;
    }
    case 'sawAd':
      drawAdCard(g, x, y, r * 1.7, r * 1.25);
      break;
  }
}

/** An ad: a white card with a blue header band and two text lines. Centred on (x, y). */
export function drawAdCard(g: Graphics, x: number, y: number, width: number, height: number): void {
  const ink = colourNumber('text');
  const left = x - width / 2;
  const top = y - height / 2;
  const radius = Math.min(width, height) * 0.18;
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRoundedRect(left, top, width, height, radius);
  g.fillStyle(colourNumber('primary'), 1);
  g.fillRoundedRect(left, top, width, height * 0.36, { tl: radius, tr: radius, bl: 0, br: 0 });
  g.lineStyle(Math.max(1, height * 0.08), ink, 0.55);
  g.lineBetween(left + width * 0.16, top + height * 0.58, left + width * 0.84, top + height * 0.58);
  g.lineBetween(left + width * 0.16, top + height * 0.78, left + width * 0.6, top + height * 0.78);
  g.lineStyle(Math.max(1, height * 0.07), ink, 0.9);
  g.strokeRoundedRect(left, top, width, height, radius);
}

/** Tunestream's mark (the title's logo): three rings and a bullseye in blue, crossed by a music note. */
export function drawTargetMark(g: Graphics, x: number, y: number, radius: number, minRing = 3): void {
  const primary = colourNumber('primary');
  const ring = Math.max(minRing, radius * 0.14);
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
  g.fillTriangle(x + radius * 0.9, y - radius * 1.05, x + radius * 1.35, y - radius * 0.8, x + radius * 0.9, y - radius * 0.62);
}
