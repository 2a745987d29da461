/**
 * The outcome charts, drawn over the neighbourhood once a round's results are in (after the
 * results animation) and in the final report: revenue, profit and trust by round; how listeners
 * reacted to each ad (or, in the final report, the score by round).
 *
 * Drawn in canvas pixels (camera zoom 1), as vectors and as text at the device's pixel ratio, so
 * they stay crisp at every size. The DOM panel prints the same numbers in tables (from the same
 * functions, see outcomeCharts.ts); the canvas points to its note with aria-describedby.
 * Every series differs by pattern or marker and is labelled, never by colour alone.
 */
import * as Phaser from 'phaser';
import type { I18n } from '../i18n';
import type { AppState, AppStore } from '../store/appStore';
import { namesFor } from '../ui/labels';
import { drawIcon, type IconKind } from './figureArt';
import { CHART_NOTE_ID, adReactions, chartCard, niceScale, roundSeries, splitCard, type AdReactions, type ChartMode, type RoundPoint } from './outcomeCharts';
import { FONT_STACK, PALETTE, chartColours, colourNumber, type PaletteName } from './theme';
import { WORLD_EVENTS, tint, type Rect } from './worldLayout';

export interface ChartSceneOptions {
  store: AppStore;
  i18n: I18n;
}

type Pattern = 'solid' | 'hatched' | 'dotted';

interface TextOptions {
  size?: number;
  bold?: boolean;
  colour?: string;
  originX?: number;
  originY?: number;
  maxWidth?: number;
  backed?: boolean;
}

interface Bar {
  value: number;
  colour: string;
  pattern: Pattern;
  label: string;
}

export class ChartScene extends Phaser.Scene {
  private readonly deps: ChartSceneOptions;
  private gfx: Phaser.GameObjects.Graphics | null = null;
  private texts: Phaser.GameObjects.Text[] = [];
  /** Where value labels already are: a label that would cover one moves or is left out (the tables have every number). */
  private labelBoxes: Phaser.Geom.Rectangle[] = [];
  private signature = '';
  private fontSize = 13;
  /** Canvas pixels per CSS pixel (see startGame). */
  private px = 1;
  private palette: PaletteName = 'standard';

  constructor(deps: ChartSceneOptions) {
    super({ key: 'ChartScene' });
    this.deps = deps;
  }

  init(): void {
    this.signature = '';
    this.texts = [];
  }

  create(): void {
    this.gfx = this.add.graphics();
    const resync = (): void => this.sync(this.deps.store.getState());
    const onResize = (gameSize: Phaser.Structs.Size): void => {
      this.cameras.resize(gameSize.width, gameSize.height);
      resync();
    };
    const unsubscribe = this.deps.store.subscribe(resync);
    this.scale.on(Phaser.Scale.Events.RESIZE, onResize);
    window.addEventListener(WORLD_EVENTS.start, resync);
    window.addEventListener(WORLD_EVENTS.done, resync);
    this.deps.i18n.on('languageChanged', resync);
    // The panel's width follows the text size; the world's area with it.
    const area = document.querySelector('[data-world-area]');
    const observer = area && typeof ResizeObserver === 'function' ? new ResizeObserver(resync) : null;
    if (area) observer?.observe(area);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      unsubscribe();
      observer?.disconnect();
      this.scale.off(Phaser.Scale.Events.RESIZE, onResize);
      window.removeEventListener(WORLD_EVENTS.start, resync);
      window.removeEventListener(WORLD_EVENTS.done, resync);
      this.deps.i18n.off('languageChanged', resync);
      this.clear();
      this.gfx = null;
    });
    resync();
  }

  /** The area the DOM leaves to the world, in canvas pixels (null when it is not laid out). */
  private worldArea(): Rect | null {
    const hole = document.querySelector<HTMLElement>('[data-world-area]');
    if (!hole || hole.getClientRects().length === 0) return null;
    const r = hole.getBoundingClientRect();
    const c = this.game.canvas.getBoundingClientRect();
    if (r.width < 200 || r.height < 160 || c.width === 0) return null;
    const k = (this.px = this.scale.width / c.width);
    return { x: Math.round((r.left - c.left) * k), y: Math.round((r.top - c.top) * k), width: Math.round(r.width * k), height: Math.round(r.height * k) };
  }

  private sync(state: AppState): void {
    if (!this.gfx) return;
    const view = state.game;
    const phase = view?.saved.phase;
    const playing = this.game.canvas.dataset.worldAnimation === 'playing';
    const mode: ChartMode | null = !view || view.results.length === 0 ? null : phase === 'final' ? 'final' : phase === 'results' && !playing ? 'results' : null;
    const area = mode ? this.worldArea() : null;
    const { i18n } = this.deps;
    const signature = mode && area && view ? [mode, view.saved.startedAt, view.results.length, i18n.language, state.settings.palette, state.settings.textScale, area.x, area.y, area.width, area.height].join('|') : '';
    if (signature === this.signature) return;
    this.signature = signature;
    this.clear();
    const canvas = this.game.canvas;
    if (!mode || !area || !view) {
      if (canvas.getAttribute('aria-describedby') === CHART_NOTE_ID) canvas.removeAttribute('aria-describedby');
      delete canvas.dataset.worldCharts;
      return;
    }
    this.palette = state.settings.palette;
    this.fontSize = Math.round(13 * this.px * state.settings.textScale * (area.width >= 1000 * this.px ? 1.2 : 1));
    const card = chartCard(area, mode, this.fontSize);
    const g = this.gfx;
    g.fillStyle(colourNumber('panel'), 0.97);
    g.fillRoundedRect(card.x, card.y, card.width, card.height, 10 * this.px);
    g.lineStyle(1.5 * this.px, colourNumber('text'), 0.3);
    g.strokeRoundedRect(card.x, card.y, card.width, card.height, 10 * this.px);
    const [left, right] = splitCard(card, this.fontSize);
    const series = roundSeries(view.results);
    this.drawRounds(left, series);
    const names = namesFor(view.pack.pack, i18n);
    if (mode === 'results') this.drawReactions(right, adReactions(view.results.at(-1)!), (id) => names.campaign(id));
    else this.drawScores(right, series);
    canvas.dataset.worldCharts = mode;
    if (document.getElementById(CHART_NOTE_ID)) canvas.setAttribute('aria-describedby', CHART_NOTE_ID);
  }

  private clear(): void {
    this.gfx?.clear();
    for (const text of this.texts) text.destroy();
    this.texts = [];
    this.labelBoxes = [];
  }

  /* ---------------------------------------------------------------------------------------------
   * Drawing helpers
   * ------------------------------------------------------------------------------------------ */

  private text(x: number, y: number, content: string, options: TextOptions = {}): Phaser.GameObjects.Text {
    const size = options.size ?? this.fontSize;
    // Labels inside the plot sit on a white backing, so they stay readable over bars and lines.
    const backing = options.backed ? { backgroundColor: PALETTE.panel, padding: { x: 2 * this.px, y: this.px } } : {};
    const t = this.add
      .text(Math.round(x), Math.round(y), content, { fontFamily: FONT_STACK, fontSize: `${size}px`, fontStyle: options.bold ? 'bold' : 'normal', color: options.colour ?? PALETTE.text, ...backing })
      .setOrigin(options.originX ?? 0, options.originY ?? 0);
    if (options.maxWidth !== undefined && t.width > options.maxWidth) {
      let s = content;
      while (s.length > 1 && t.width > options.maxWidth) {
        s = s.slice(0, -1);
        t.setText(`${s.trimEnd()}…`);
      }
    }
    this.texts.push(t);
    return t;
  }

  /** A value label inside a plot, on a white backing; moved up ('shift') or left out ('drop') where it would cover another. */
  private valueLabel(x: number, y: number, content: string, options: TextOptions, avoid: 'drop' | 'shift'): void {
    const t = this.text(x, y, content, { ...options, backed: true });
    const overlaps = () => this.labelBoxes.some((box) => Phaser.Geom.Rectangle.Overlaps(box, t.getBounds()));
    for (let tries = 0; avoid === 'shift' && tries < 3 && overlaps(); tries++) t.y -= t.height;
    if (overlaps()) t.setVisible(false);
    else this.labelBoxes.push(t.getBounds());
  }

  /** A bar (any sign of height) in a pattern: solid, hatched (diagonal lines) or dotted, outlined. */
  private bar(x: number, y: number, w: number, h: number, colour: string, pattern: Pattern): void {
    const g = this.gfx!;
    const top = Math.min(y, y + h);
    const height = Math.abs(h);
    if (height < 0.5 || w < 0.5) return;
    const c = Number.parseInt(colour.slice(1), 16);
    g.fillStyle(pattern === 'solid' ? c : tint(colour, 0.75), 1);
    g.fillRect(x, top, w, height);
    g.lineStyle(Math.max(1, this.fontSize * 0.12), c, 1);
    if (pattern === 'hatched') {
      const step = Math.max(4, this.fontSize * 0.45);
      for (let k = -height; k < w; k += step) {
        const x0 = Math.max(x, x + k);
        const x1 = Math.min(x + w, x + k + height);
        if (x1 > x0) g.lineBetween(x0, top + height - (x0 - x - k), x1, top + height - (x1 - x - k));
      }
    } else if (pattern === 'dotted') {
      const step = Math.max(4, this.fontSize * 0.5);
      g.fillStyle(c, 1);
      for (let yy = top + step / 2; yy < top + height; yy += step) for (let xx = x + step / 2; xx < x + w; xx += step) g.fillCircle(xx, yy, Math.max(1, step * 0.16));
    }
    g.strokeRect(x, top, w, height);
  }

  /** A legend row: a swatch (or a marker) and a label per entry; returns the row's height. */
  private legend(x: number, y: number, maxWidth: number, entries: { label: string; draw: (cx: number, cy: number, s: number) => void }[]): number {
    const s = this.fontSize;
    let cx = x;
    let cy = y;
    for (const entry of entries) {
      const label = this.text(0, 0, entry.label, { size: s * 0.92, colour: PALETTE.text, originY: 0.5 });
      const width = s * 1.4 + label.width + s;
      if (cx > x && cx + width > x + maxWidth) {
        cx = x;
        cy += s * 1.5;
      }
      entry.draw(cx + s * 0.55, cy + s * 0.6, s);
      label.setPosition(Math.round(cx + s * 1.4), Math.round(cy + s * 0.6));
      cx += width;
    }
    return cy - y + s * 1.4;
  }

  private swatch(colour: string, pattern: Pattern): (cx: number, cy: number, s: number) => void {
    return (cx, cy, s) => this.bar(cx - s * 0.55, cy - s * 0.45, s * 1.1, s * 0.9, colour, pattern);
  }

  private marker(cx: number, cy: number, r: number, colour: string): void {
    const g = this.gfx!;
    g.fillStyle(colourNumber('panel'), 1);
    g.fillCircle(cx, cy, r);
    g.lineStyle(Math.max(1.5, r * 0.45), Number.parseInt(colour.slice(1), 16), 1);
    g.strokeCircle(cx, cy, r);
  }

  private moneyCompact(): Intl.NumberFormat {
    return new Intl.NumberFormat(this.deps.i18n.language, { style: 'currency', currency: 'USD', notation: 'compact', maximumSignificantDigits: 3 });
  }

  /* ---------------------------------------------------------------------------------------------
   * The charts
   * ------------------------------------------------------------------------------------------ */

  /** Revenue (solid) and profit (hatched) bars per round on a money axis; trust as a line with markers (0–100). */
  private drawRounds(rect: Rect, series: RoundPoint[]): void {
    const { t } = this.deps.i18n;
    const s = this.fontSize;
    const colours = chartColours(this.palette);
    const money = this.moneyCompact();
    const dec1 = new Intl.NumberFormat(this.deps.i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const title = this.text(rect.x, rect.y, t('world.chartRounds'), { bold: true, maxWidth: rect.width });
    const legendTop = rect.y + title.height + s * 0.3;
    const legendHeight = this.legend(rect.x, legendTop, rect.width, [
      { label: t('kpi.revenue'), draw: this.swatch(colours.revenue, 'solid') },
      { label: t('kpi.profit'), draw: this.swatch(colours.profit, 'hatched') },
      {
        label: t('world.chartTrust'),
        draw: (cx, cy, size) => {
          this.gfx!.lineStyle(2 * this.px, colourNumber('text'), 1);
          this.gfx!.lineBetween(cx - size * 0.7, cy, cx + size * 0.7, cy);
          this.marker(cx, cy, size * 0.3, colours.trust);
        },
      },
    ]);
    const scale = niceScale(series.flatMap((p) => [p.revenue, p.profit]));
    const axisWidth = Math.max(this.measure(money.format(scale.min), s * 0.85), this.measure(money.format(scale.max), s * 0.85)) + s * 0.6;
    const plot = { x: rect.x + axisWidth, y: legendTop + legendHeight + s * 0.9, width: rect.width - axisWidth - s * 2.2, height: 0 };
    plot.height = rect.y + rect.height - s * 1.6 - plot.y;
    if (plot.height < s * 3 || plot.width < s * 6) return;
    const yOf = (v: number) => plot.y + plot.height - ((v - scale.min) / (scale.max - scale.min)) * plot.height;
    const g = this.gfx!;
    for (let v = scale.min; v <= scale.max + scale.step / 2; v += scale.step) {
      g.lineStyle(this.px, colourNumber('text'), v === 0 ? 0.6 : 0.12);
      g.lineBetween(plot.x, yOf(v), plot.x + plot.width, yOf(v));
      this.text(plot.x - s * 0.4, yOf(v), money.format(v), { size: s * 0.85, colour: PALETTE.mutedText, originX: 1, originY: 0.5 });
    }
    // The trust axis, on the right: 0 and 100.
    for (const v of [0, 50, 100]) this.text(plot.x + plot.width + s * 0.3, plot.y + plot.height * (1 - v / 100), String(v), { size: s * 0.8, colour: PALETTE.mutedText, originY: 0.5 });
    const group = plot.width / Math.max(1, series.length);
    const barWidth = Math.min(group * 0.3, s * 3.2);
    const trustPoints: { x: number; y: number; value: number }[] = [];
    series.forEach((p, k) => {
      const cx = plot.x + group * (k + 0.5);
      const bars: Bar[] = [
        { value: p.revenue, colour: colours.revenue, pattern: 'solid', label: money.format(p.revenue) },
        { value: p.profit, colour: colours.profit, pattern: 'hatched', label: money.format(p.profit) },
      ];
      bars.forEach((b, j) => {
        const x = cx - barWidth + j * barWidth;
        this.bar(x, yOf(0), barWidth - 2, yOf(b.value) - yOf(0), b.colour, b.pattern);
        if (group >= s * 4.5) this.valueLabel(x + barWidth / 2 - 1, b.value >= 0 ? yOf(b.value) - 2 : yOf(b.value) + 2, b.label, { size: s * 0.78, originX: 0.5, originY: b.value >= 0 ? 1 : 0 }, 'drop');
      });
      this.roundTick(cx, plot.y + plot.height + s * 0.3, p.round, group, s);
      trustPoints.push({ x: cx, y: plot.y + plot.height * (1 - p.trust / 100), value: p.trust });
    });
    g.lineStyle(2 * this.px, colourNumber('text'), 1);
    for (let k = 1; k < trustPoints.length; k++) g.lineBetween(trustPoints[k - 1]!.x, trustPoints[k - 1]!.y, trustPoints[k]!.x, trustPoints[k]!.y);
    for (const p of trustPoints) {
      this.marker(p.x, p.y, s * 0.32, colours.trust);
      this.valueLabel(p.x + s * 0.45, p.y - s * 0.35, dec1.format(p.value), { size: s * 0.8, bold: true, originY: 1 }, 'shift');
    }
  }

  /** Per ad: clicks (solid), sales (dotted) and creepy moments (hatched), each with its icon and number. */
  private drawReactions(rect: Rect, ads: AdReactions[], name: (campaign: string) => string): void {
    const { t } = this.deps.i18n;
    const s = this.fontSize;
    const colours = chartColours(this.palette);
    const int = new Intl.NumberFormat(this.deps.i18n.language, { maximumFractionDigits: 0 });
    const kinds: { key: 'clicks' | 'sales' | 'creepy'; icon: IconKind; label: string; colour: string; pattern: Pattern }[] = [
      { key: 'clicks', icon: 'click', label: t('kpi.clicks'), colour: colours.clicks, pattern: 'solid' },
      { key: 'sales', icon: 'purchase', label: t('kpi.conversions'), colour: colours.sales, pattern: 'dotted' },
      { key: 'creepy', icon: 'creepy', label: t('kpi.creepy'), colour: colours.creepy, pattern: 'hatched' },
    ];
    const title = this.text(rect.x, rect.y, t('world.chartReactions'), { bold: true, maxWidth: rect.width });
    const legendTop = rect.y + title.height + s * 0.3;
    const legendHeight = this.legend(
      rect.x,
      legendTop,
      rect.width,
      kinds.map((k) => ({ label: k.label, draw: this.swatch(k.colour, k.pattern) })),
    );
    let y = legendTop + legendHeight + s * 0.6;
    if (ads.length === 0) {
      this.text(rect.x, y, t('world.chartNoAds'), { colour: PALETTE.mutedText, maxWidth: rect.width });
      return;
    }
    const max = Math.max(1, ...ads.flatMap((a) => [a.clicks, a.sales, a.creepy]));
    const barH = Math.max(6, Math.round(s * 0.75));
    const gap = Math.round(barH * 0.45);
    const rowH = s * 1.2 + (barH + gap) * 3 + 4;
    const room = Math.floor((rect.y + rect.height - y) / rowH);
    const shown = ads.slice(0, Math.max(1, room));
    const iconR = (barH + gap) * 0.48;
    const barX = rect.x + iconR * 2 + 6;
    const valueRoom = this.measure(int.format(max), s * 0.8) + s * 0.6;
    const barMax = rect.width - (barX - rect.x) - valueRoom;
    for (const ad of shown) {
      this.text(rect.x, y, name(ad.campaign), { size: s * 0.9, bold: true, maxWidth: rect.width });
      y += s * 1.2;
      for (const k of kinds) {
        const value = ad[k.key];
        const cy = y + barH / 2;
        drawIcon(this.gfx!, k.icon, rect.x + iconR, cy, iconR, false, this.palette);
        const w = (value / max) * barMax;
        this.bar(barX, y, Math.max(1, w), barH, k.colour, k.pattern);
        this.text(barX + Math.max(1, w) + s * 0.3, cy, int.format(value), { size: s * 0.8, originY: 0.5 });
        y += barH + gap;
      }
      y += 4;
    }
    if (shown.length < ads.length) this.text(rect.x, rect.y + rect.height, t('world.chartMore', { n: ads.length - shown.length }), { size: s * 0.8, colour: PALETTE.mutedText, originY: 1 });
  }

  /** The score of each round, out of 100, with its value. */
  private drawScores(rect: Rect, series: RoundPoint[]): void {
    const { t } = this.deps.i18n;
    const s = this.fontSize;
    const colour = chartColours(this.palette).score;
    const dec1 = new Intl.NumberFormat(this.deps.i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const title = this.text(rect.x, rect.y, t('world.chartScores'), { bold: true, maxWidth: rect.width });
    const plot = { x: rect.x + s * 2.2, y: rect.y + title.height + s * 1.6, width: rect.width - s * 2.4, height: 0 };
    plot.height = rect.y + rect.height - s * 1.6 - plot.y;
    if (plot.height < s * 3) return;
    const g = this.gfx!;
    for (const v of [0, 25, 50, 75, 100]) {
      const y = plot.y + plot.height * (1 - v / 100);
      g.lineStyle(this.px, colourNumber('text'), v === 0 ? 0.6 : 0.12);
      g.lineBetween(plot.x, y, plot.x + plot.width, y);
      this.text(plot.x - s * 0.4, y, String(v), { size: s * 0.8, colour: PALETTE.mutedText, originX: 1, originY: 0.5 });
    }
    const group = plot.width / Math.max(1, series.length);
    const w = Math.min(group * 0.55, s * 4);
    series.forEach((p, k) => {
      const cx = plot.x + group * (k + 0.5);
      const top = plot.y + plot.height * (1 - p.score / 100);
      this.bar(cx - w / 2, plot.y + plot.height, w, top - (plot.y + plot.height), colour, 'solid');
      this.text(cx, top - 2, dec1.format(p.score), { size: s * 0.85, bold: true, originX: 0.5, originY: 1 });
      this.roundTick(cx, plot.y + plot.height + s * 0.3, p.round, group, s);
    });
  }

  /** A round's label under its bars: "Round 3", or just "3" where that would run into the next one (the chart's title says "by round"). */
  private roundTick(cx: number, y: number, round: number, group: number, s: number): void {
    const size = s * 0.85;
    const full = this.deps.i18n.t('world.roundN', { n: round });
    this.text(cx, y, this.measure(full, size) <= group - s * 0.4 ? full : String(round), { size, originX: 0.5, colour: PALETTE.mutedText });
  }

  /** Width of a text at a size (a throwaway Text object, as Phaser measures it). */
  private measure(content: string, size: number): number {
    const probe = this.make.text({ text: content, style: { fontFamily: FONT_STACK, fontSize: `${size}px` } }, false);
    const width = probe.width;
    probe.destroy();
    return width;
  }
}
