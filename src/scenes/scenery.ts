/**
 * The neighbourhood's scenery, drawn with Graphics in design units (see worldLayout.ts): homes, a
 * café, a gym, a clinic, a place of worship, Tunestream's mast, the street and bus stop, and a park
 * with a running track, a dog walk, a pond and trees. Flat fills and 2-unit rounded strokes.
 */
import type * as Phaser from 'phaser';
import { drawTargetMark } from './figureArt';
import { PALETTE, colourNumber } from './theme';
import { GEO, dogPathPoint, tint, type Building } from './worldLayout';

type Graphics = Phaser.GameObjects.Graphics;

const INK = colourNumber('text');
const STROKE = 2.4;
const FAR = 3000;

export const SCENERY_COLOURS = {
  grass: tint(PALETTE.positive, 0.84),
  grassDark: tint(PALETTE.positive, 0.7),
  pavement: 0xe9e4da,
  kerb: 0xd9d3c7,
  street: 0xcfcac1,
  track: 0xe6d5bd,
  path: 0xece2d0,
  water: tint(PALETTE.signal, 0.6),
  pane: tint(PALETTE.signal, 0.72),
  canopy: tint(PALETTE.positive, 0.45),
  canopyDark: tint(PALETTE.positive, 0.3),
  trunk: 0x8b6a4f,
} as const;

const C = SCENERY_COLOURS;

/** The ground, the street and the buildings: everything that is always behind the listeners. */
export function drawGround(g: Graphics): void {
  const { pavement, street, parkWalk, parkTop } = GEO;
  g.fillStyle(C.grass, 1);
  g.fillRect(-FAR, parkTop, FAR * 2 + 1000, FAR);
  g.fillStyle(C.pavement, 1);
  g.fillRect(-FAR, pavement.top, FAR * 2 + 1000, pavement.bottom - pavement.top);
  g.fillRect(-FAR, parkWalk.top, FAR * 2 + 1000, parkWalk.bottom - parkWalk.top);
  g.fillStyle(C.street, 1);
  g.fillRect(-FAR, street.top, FAR * 2 + 1000, street.bottom - street.top);
  g.fillStyle(C.kerb, 1);
  g.fillRect(-FAR, street.top - 4, FAR * 2 + 1000, 4);
  g.fillRect(-FAR, street.bottom, FAR * 2 + 1000, 4);
  // Dashed centre line.
  g.fillStyle(colourNumber('panel'), 0.9);
  const mid = (street.top + street.bottom) / 2;
  for (let x = -FAR; x < FAR + 1000; x += 60) g.fillRoundedRect(x, mid - 2, 30, 4, 2);

  drawPark(g);
  drawTower(g);
  // Neighbouring homes beyond the design area, for wide screens.
  for (const x of [-126, -252, -378, 1000, 1126, 1252]) drawHome(g, { kind: 'home', x: x + 6, width: 114, height: 140 + ((x / 126) % 2 === 0 ? 0 : 24), windows: [] }, x < 0 ? 3 : 4);
  GEO.buildings.forEach((b, k) => drawBuilding(g, b, k));
}

function drawBuilding(g: Graphics, b: Building, k: number): void {
  switch (b.kind) {
    case 'home':
      return drawHome(g, b, k);
    case 'cafe':
      return drawCafe(g, b);
    case 'gym':
      return drawGym(g, b);
    case 'clinic':
      return drawClinic(g, b);
    case 'worship':
      return drawWorship(g, b);
  }
}

function walls(g: Graphics, b: Building, fill: number): number {
  const top = GEO.buildingLine - b.height;
  g.fillStyle(fill, 1);
  g.fillRect(b.x, top, b.width, b.height);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRect(b.x, top, b.width, b.height);
  return top;
}

function door(g: Graphics, x: number, width: number, height: number, fill: number, arched = false): void {
  const base = GEO.buildingLine;
  g.fillStyle(fill, 1);
  if (arched) {
    g.fillRoundedRect(x - width / 2, base - height, width, height, { tl: width / 2, tr: width / 2, bl: 0, br: 0 });
  } else {
    g.fillRoundedRect(x - width / 2, base - height, width, height, { tl: 4, tr: 4, bl: 0, br: 0 });
  }
  g.lineStyle(STROKE, INK, 1);
  if (arched) g.strokeRoundedRect(x - width / 2, base - height, width, height, { tl: width / 2, tr: width / 2, bl: 0, br: 0 });
  else g.strokeRoundedRect(x - width / 2, base - height, width, height, { tl: 4, tr: 4, bl: 0, br: 0 });
  g.fillStyle(INK, 1);
  g.fillCircle(x + width * 0.28, base - height * 0.45, 2);
}

function windowPane(g: Graphics, x: number, y: number, width: number, height: number): void {
  g.fillStyle(C.pane, 1);
  g.fillRoundedRect(x, y, width, height, 3);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRoundedRect(x, y, width, height, 3);
  g.lineStyle(1.5, INK, 0.5);
  g.lineBetween(x + width / 2, y + 2, x + width / 2, y + height - 2);
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRect(x - 3, y + height, width + 6, 4);
}

const HOME_WALLS = [tint(PALETTE.signal, 0.82), tint(PALETTE.segment, 0.8), tint(PALETTE.warning, 0.8), tint(PALETTE.positive, 0.82), tint(PALETTE.primary, 0.85)];
const HOME_ROOFS = [tint(PALETTE.primary, 0.2), tint(PALETTE.segment, 0.15), tint(PALETTE.mutedText, 0.1), tint(PALETTE.positive, 0.2), tint(PALETTE.danger, 0.3)];

function drawHome(g: Graphics, b: Building, k: number): void {
  const top = walls(g, b, HOME_WALLS[k % HOME_WALLS.length]!);
  // Roof.
  g.fillStyle(HOME_ROOFS[k % HOME_ROOFS.length]!, 1);
  g.fillTriangle(b.x - 10, top + 2, b.x + b.width / 2, top - 46, b.x + b.width + 10, top + 2);
  g.lineStyle(STROKE, INK, 1);
  g.strokeTriangle(b.x - 10, top + 2, b.x + b.width / 2, top - 46, b.x + b.width + 10, top + 2);
  // Chimney.
  g.fillStyle(HOME_ROOFS[k % HOME_ROOFS.length]!, 1);
  g.fillRect(b.x + b.width * 0.72, top - 38, 12, 22);
  g.strokeRect(b.x + b.width * 0.72, top - 38, 12, 22);
  const windows = b.windows.length > 0 ? b.windows : [{ x: b.x + b.width * 0.27 - 17, y: top + 20, width: 34, height: 36 }, { x: b.x + b.width * 0.73 - 17, y: top + 20, width: 34, height: 36 }];
  for (const w of windows) windowPane(g, w.x, w.y, w.width, w.height);
  door(g, b.x + b.width * 0.3, 26, 44, colourNumber('panel'));
  windowPane(g, b.x + b.width * 0.58, GEO.buildingLine - 44, 34, 26);
}

function drawCafe(g: Graphics, b: Building): void {
  const top = walls(g, b, colourNumber('panel'));
  // Striped awning.
  const awningY = top + 46;
  const stripes = 7;
  const w = (b.width + 12) / stripes;
  for (let s = 0; s < stripes; s++) {
    g.fillStyle(s % 2 === 0 ? tint(PALETTE.primary, 0.35) : colourNumber('panel'), 1);
    g.fillRect(b.x - 6 + s * w, awningY, w, 18);
    g.fillCircle(b.x - 6 + s * w + w / 2, awningY + 18, w / 2);
  }
  g.lineStyle(STROKE, INK, 1);
  g.strokeRect(b.x - 6, awningY, b.width + 12, 18);
  // Sign: a cup with steam.
  const cx = b.x + b.width / 2;
  const cy = top + 22;
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRoundedRect(cx - 30, cy - 16, 60, 32, 8);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRoundedRect(cx - 30, cy - 16, 60, 32, 8);
  g.fillStyle(INK, 1);
  g.fillRoundedRect(cx - 10, cy - 4, 18, 14, { tl: 0, tr: 0, bl: 6, br: 6 });
  g.lineStyle(2, INK, 1);
  g.strokeCircle(cx + 10, cy + 2, 4);
  g.beginPath();
  g.arc(cx - 4, cy - 9, 4, Math.PI * 0.5, Math.PI * 1.5);
  g.strokePath();
  g.beginPath();
  g.arc(cx + 3, cy - 9, 4, Math.PI * 0.5, Math.PI * 1.5);
  g.strokePath();
  // Shop window and door.
  windowPane(g, b.x + 12, awningY + 34, 58, 40);
  door(g, b.x + b.width - 34, 28, 50, tint(PALETTE.primary, 0.35));
}

function drawGym(g: Graphics, b: Building): void {
  const top = walls(g, b, tint(PALETTE.mutedText, 0.82));
  // Sign: a dumbbell.
  const cx = b.x + b.width / 2;
  const cy = top + 24;
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRoundedRect(cx - 40, cy - 15, 80, 30, 8);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRoundedRect(cx - 40, cy - 15, 80, 30, 8);
  g.fillStyle(INK, 1);
  g.fillRect(cx - 18, cy - 2, 36, 4);
  for (const dx of [-1, 1]) {
    g.fillRoundedRect(cx + dx * 20 - 4, cy - 10, 8, 20, 2);
    g.fillRoundedRect(cx + dx * 27 - 3, cy - 7, 6, 14, 2);
  }
  // Big windows and a double door.
  windowPane(g, b.x + 12, top + 52, 56, 42);
  windowPane(g, b.x + b.width - 68, top + 52, 56, 42);
  door(g, cx, 40, 46, colourNumber('panel'));
  g.lineStyle(1.5, INK, 0.6);
  g.lineBetween(cx, GEO.buildingLine - 44, cx, GEO.buildingLine);
}

function drawClinic(g: Graphics, b: Building): void {
  const top = walls(g, b, colourNumber('panel'));
  const cx = b.x + b.width / 2;
  // Sign: a white cross on green.
  g.fillStyle(colourNumber('positive'), 1);
  g.fillRoundedRect(cx - 18, top + 10, 36, 36, 8);
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRect(cx - 4, top + 16, 8, 24);
  g.fillRect(cx - 12, top + 24, 24, 8);
  windowPane(g, b.x + 12, top + 60, 34, 30);
  windowPane(g, b.x + b.width - 46, top + 60, 34, 30);
  // Canopy over the door.
  door(g, cx, 34, 48, tint(PALETTE.positive, 0.6));
  g.fillStyle(colourNumber('positive'), 1);
  g.fillRoundedRect(cx - 28, GEO.buildingLine - 60, 56, 10, 4);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRoundedRect(cx - 28, GEO.buildingLine - 60, 56, 10, 4);
}

function drawWorship(g: Graphics, b: Building): void {
  const cx = b.x + b.width / 2;
  const top = GEO.buildingLine - b.height;
  // A small tower with a dome, behind the main hall.
  g.fillStyle(tint(PALETTE.segment, 0.72), 1);
  g.fillRect(b.x + b.width - 38, top - 56, 28, 70);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRect(b.x + b.width - 38, top - 56, 28, 70);
  g.fillStyle(tint(PALETTE.segment, 0.45), 1);
  g.slice(b.x + b.width - 24, top - 56, 14, Math.PI, Math.PI * 2, false);
  g.fillPath();
  g.beginPath();
  g.arc(b.x + b.width - 24, top - 56, 14, Math.PI, Math.PI * 2, false);
  g.strokePath();
  // The hall with a gable.
  walls(g, b, tint(PALETTE.segment, 0.82));
  g.fillStyle(tint(PALETTE.segment, 0.45), 1);
  g.fillTriangle(b.x - 6, top + 2, cx - 10, top - 34, b.x + b.width - 44, top + 2);
  g.lineStyle(STROKE, INK, 1);
  g.strokeTriangle(b.x - 6, top + 2, cx - 10, top - 34, b.x + b.width - 44, top + 2);
  // A round window and an arched door.
  g.fillStyle(C.pane, 1);
  g.fillCircle(cx - 10, top + 34, 16);
  g.lineStyle(STROKE, INK, 1);
  g.strokeCircle(cx - 10, top + 34, 16);
  g.lineStyle(1.5, INK, 0.5);
  g.strokeCircle(cx - 10, top + 34, 7);
  door(g, cx - 10, 36, 62, tint(PALETTE.segment, 0.5), true);
  windowPane(g, b.x + b.width - 34, top + 70, 22, 34);
}

/** Tunestream's mast: a lattice tower with the logo at its top. */
function drawTower(g: Graphics): void {
  const { x, top, logo } = GEO.tower;
  const base = GEO.buildingLine - 100;
  g.lineStyle(3, INK, 1);
  g.lineBetween(x - 6, top + 20, x - 20, base);
  g.lineBetween(x + 6, top + 20, x + 20, base);
  g.lineStyle(1.6, INK, 0.8);
  const steps = 6;
  for (let s = 0; s < steps; s++) {
    const y0 = top + 20 + ((base - top - 20) * s) / steps;
    const y1 = top + 20 + ((base - top - 20) * (s + 1)) / steps;
    const w0 = 6 + (14 * s) / steps;
    const w1 = 6 + (14 * (s + 1)) / steps;
    g.lineBetween(x - w0, y0, x + w1, y1);
    g.lineBetween(x + w0, y0, x - w1, y1);
  }
  g.fillStyle(colourNumber('panel'), 1);
  g.fillCircle(logo.x, logo.y, 25);
  g.lineStyle(STROKE, INK, 1);
  g.strokeCircle(logo.x, logo.y, 25);
  drawTargetMark(g, logo.x - 3, logo.y + 2, 15, 2);
}

function drawPark(g: Graphics): void {
  const { track } = GEO;
  // Grass tufts.
  g.lineStyle(2, C.grassDark, 1);
  for (let k = 0; k < 46; k++) {
    const x = ((k * 211) % 1180) - 90;
    const y = GEO.parkTop + 24 + ((k * 97) % 300);
    g.lineBetween(x, y, x - 3, y - 7);
    g.lineBetween(x + 4, y, x + 5, y - 8);
  }
  // The running track: a sand lane with white lines, grass inside.
  g.fillStyle(C.track, 1);
  g.fillEllipse(track.cx, track.cy, (track.rx + track.lane) * 2, (track.ry + track.lane) * 2, 64);
  g.fillStyle(C.grass, 1);
  g.fillEllipse(track.cx, track.cy, (track.rx - track.lane) * 2, (track.ry - track.lane) * 2, 64);
  g.lineStyle(2, colourNumber('panel'), 1);
  g.strokeEllipse(track.cx, track.cy, track.rx * 2, track.ry * 2, 64);
  g.lineStyle(STROKE, INK, 0.5);
  g.strokeEllipse(track.cx, track.cy, (track.rx + track.lane) * 2, (track.ry + track.lane) * 2, 64);
  g.strokeEllipse(track.cx, track.cy, (track.rx - track.lane) * 2, (track.ry - track.lane) * 2, 64);
  // The dog walk.
  const points: { x: number; y: number }[] = [];
  for (let t = -0.05; t <= 1.05; t += 0.025) points.push(dogPathPoint(t));
  for (const [width, colour, alpha] of [
    [30, INK, 0.35],
    [26, C.path, 1],
  ] as const) {
    g.lineStyle(width, colour, alpha);
    g.beginPath();
    points.forEach((p, k) => (k === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
    g.strokePath();
    for (const p of points) {
      g.fillStyle(colour, alpha);
      g.fillCircle(p.x, p.y, width / 2);
    }
  }
  // The pond.
  const { pond } = GEO;
  g.fillStyle(C.water, 1);
  g.fillEllipse(pond.x, pond.y, pond.rx * 2, pond.ry * 2, 48);
  g.lineStyle(STROKE, INK, 0.6);
  g.strokeEllipse(pond.x, pond.y, pond.rx * 2, pond.ry * 2, 48);
  g.lineStyle(2, colourNumber('panel'), 0.9);
  g.lineBetween(pond.x - 40, pond.y - 6, pond.x - 12, pond.y - 6);
  g.lineBetween(pond.x + 10, pond.y + 8, pond.x + 44, pond.y + 8);
}

/** A tree whose trunk stands at (x, y): drawn in its own depth so listeners can pass in front. */
export function drawTree(g: Graphics, x: number, y: number, r: number): void {
  g.fillStyle(C.trunk, 1);
  g.fillRoundedRect(x - r * 0.14, y - r * 1.2, r * 0.28, r * 1.2, 3);
  g.fillStyle(C.canopyDark, 1);
  g.fillCircle(x + r * 0.25, y - r * 1.55, r * 0.85);
  g.fillStyle(C.canopy, 1);
  g.fillCircle(x - r * 0.2, y - r * 1.75, r * 0.9);
  g.lineStyle(STROKE, INK, 0.9);
  g.strokeCircle(x - r * 0.2, y - r * 1.75, r * 0.9);
}

export function drawBench(g: Graphics, x: number, y: number): void {
  g.fillStyle(C.trunk, 1);
  g.fillRoundedRect(x - 26, y - 20, 52, 6, 2);
  g.fillRoundedRect(x - 26, y - 11, 52, 5, 2);
  g.lineStyle(2.5, INK, 1);
  g.lineBetween(x - 20, y - 6, x - 22, y);
  g.lineBetween(x + 20, y - 6, x + 22, y);
}

/** The bus stop on the park side of the street: shelter and sign. */
export function drawBusStop(g: Graphics): void {
  const { x, width } = GEO.busStop;
  const base = GEO.rows.walk - 6;
  const top = base - 66;
  g.fillStyle(C.pane, 0.55);
  g.fillRect(x, top + 8, width, base - top - 8);
  g.fillStyle(colourNumber('primary'), 1);
  g.fillRoundedRect(x - 6, top, width + 12, 10, 4);
  g.lineStyle(STROKE, INK, 1);
  g.strokeRoundedRect(x - 6, top, width + 12, 10, 4);
  g.lineBetween(x + 2, top + 10, x + 2, base);
  g.lineBetween(x + width - 2, top + 10, x + width - 2, base);
  // Sign: a bus on a round plate.
  const sx = x + width + 24;
  g.lineBetween(sx, top - 12, sx, base);
  g.fillStyle(colourNumber('panel'), 1);
  g.fillCircle(sx, top - 18, 15);
  g.lineStyle(STROKE, colourNumber('primary'), 1);
  g.strokeCircle(sx, top - 18, 15);
  g.fillStyle(colourNumber('primary'), 1);
  g.fillRoundedRect(sx - 9, top - 27, 18, 15, 3);
  g.fillStyle(colourNumber('panel'), 1);
  g.fillRect(sx - 6, top - 24, 12, 5);
  g.fillStyle(INK, 1);
  g.fillCircle(sx - 5, top - 11, 2.5);
  g.fillCircle(sx + 5, top - 11, 2.5);
}
