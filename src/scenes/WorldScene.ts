/**
 * The living world beside the DOM panels: the neighbourhood and the 48 sampled listeners, driven
 * only by the store (it reads, never dispatches).
 *
 * - planning phases (briefing, collect, segment, serve): listeners where their routine takes
 *   them; in collect, sky-blue arcs for what the collected signals cover and a tag with the number
 *   of inferences; in segment and serve, a lettered, coloured chip and a patterned ring per segment.
 * - results: an animation of about 5 s (ads fly from Tunestream's mast, reactions pop, some
 *   listeners opt out or walk away), skippable with a `tt:skip-animation` window event; it sends
 *   `tt:animation-start` and `tt:animation-done` window events. Under reduced motion the end state
 *   shows at once.
 * - debrief and final: the end state of the last round.
 */
import * as Phaser from 'phaser';
import { playCue } from '../audio/cues';
import type { ListenerTrace } from '../sim';
import { CHURNED, OPTED_OUT } from '../sim/state';
import type { AppState, AppStore } from '../store/appStore';
import { currentDecisions, type GameView } from '../store/game';
import { bustMetrics, drawAdCard, drawBust, drawDog, drawIcon, drawListener, drawPremiumBadge, drawSignalArcs, figureMetrics, type FigureMetrics, type IconKind } from './figureArt';
import { drawBench, drawBusStop, drawGround, drawTree } from './scenery';
import { FONT_STACK, PALETTE, colourNumber, type PaletteName } from './theme';
import {
  GEO,
  RESULTS_TIMING,
  WORLD_EVENTS,
  bezier,
  dogPathPoint,
  fitDesign,
  hasSensitiveInference,
  hash32,
  lookOf,
  outcomeOf,
  placeListeners,
  resultsCues,
  segmentStyle,
  signalArcs,
  trackPoint,
  worldArea,
  type ListenerCue,
  type Look,
  type Outcome,
  type Placement,
  type Rect,
  type RingPattern,
  type SegmentStyle,
} from './worldLayout';

export interface WorldSceneOptions {
  store: AppStore;
  /** Called once, after the first frame has been drawn. */
  onFirstRender: () => void;
}

type Phase = GameView['saved']['phase'];
const PLANNING: ReadonlySet<Phase> = new Set<Phase>(['briefing', 'collect', 'segment', 'serve']);

/** A figure's size in design units. */
const UNIT = 24;
const FIGURE_DEPTH = 1000;
const CARD_DEPTH = 5000;
/** Overlay sizes in design units (about 0.8 px each at 1366×768). */
const CHIP_SIZE = 20;
const LABEL_SIZE = 13;
const ICON_RADIUS = 10;
/** How far a listener who left has walked off, in design units. */
const GHOST_SHIFT = 34;
const GHOST_ALPHA = 0.3;
const POP_DURATION = 260;
const GROUND_TEXTURE = 'tt-world-ground';
/** The box a figure's baked body fits in, in design units around its feet (room for a dog and a window). */
const FIGURE_BOX = { x: -32, y: -72, width: 84, height: 80 };
const DIM_ALPHA = 0.5;
/** Runners lap the track in about a minute and a half. */
const RUN_SPEED = (Math.PI * 2) / 90_000;

interface Chip extends SegmentStyle {
  /** A segment no campaign is aimed at (serve phase): drawn hollow. */
  hollow: boolean;
}

/** Everything drawn over and around one figure. */
interface Overlay {
  ghost: boolean;
  /** In no segment while segments are shown: drawn paler, so that members stand out. */
  dim: boolean;
  premium: boolean;
  optedOut: 'no' | 'muted' | 'fresh';
  arcs: number;
  tag: { count: number; sensitive: boolean } | null;
  chips: Chip[];
  icons: IconKind[];
}

const EMPTY_OVERLAY: Overlay = { ghost: false, dim: false, premium: false, optedOut: 'no', arcs: 0, tag: null, chips: [], icons: [] };

interface Figure {
  index: number;
  placement: Placement;
  look: Look;
  metrics: FigureMetrics;
  container: Phaser.GameObjects.Container;
  ground: Phaser.GameObjects.Graphics;
  /** The body, baked into a texture (it never changes). */
  body: Phaser.GameObjects.Image;
  badges: Phaser.GameObjects.Graphics;
  /** Over the head: arcs, tags, chips, icons (scaled in when they change). */
  pop: Phaser.GameObjects.Container;
  popGfx: Phaser.GameObjects.Graphics;
  labels: Phaser.GameObjects.Text[];
  overlayKey: string;
  ghost: boolean;
  /** Walking off the scene (results animation): idle motion leaves it alone. */
  leaving: boolean;
  angle: number;
  phase: number;
  /** When the over-head overlay started popping in (performance.now()), while it does. */
  popAt: number | null;
}

interface ResultsStep {
  cue: ListenerCue;
  figure: Figure;
  trace: ListenerTrace;
  outcome: Outcome;
  shown: { reactions: boolean; optOut: boolean; churn: boolean };
  card: Phaser.GameObjects.Graphics | null;
  /** Where a listener who leaves started walking. */
  from: { x: number; y: number } | null;
}

interface ResultsAnimation {
  round: number;
  /** performance.now() at the start. */
  startedAt: number;
  steps: ResultsStep[];
  ring: Phaser.GameObjects.Graphics;
}

export class WorldScene extends Phaser.Scene {
  private readonly deps: WorldSceneOptions;
  private figures = new Map<number, Figure>();
  private figureSignature = '';
  private lastPlanning: readonly ListenerTrace[] | null = null;
  private resultsKey: string | null = null;
  private anim: ResultsAnimation | null = null;
  private reducedMotion = false;
  private palette: PaletteName = 'standard';
  private mediaReduced = false;
  private textResolution = 1;
  private zoom = 1;
  private phase: Phase | null = null;
  private layoutSignature = '';
  private observedHole: HTMLElement | null = null;
  private holeObserver: ResizeObserver | null = null;
  /** Draws art for baking (never displayed). */
  private bakeArt: Phaser.GameObjects.Graphics | null = null;
  private baked = new Set<string>();
  private groundImage: Phaser.GameObjects.Image | null = null;

  constructor(deps: WorldSceneOptions) {
    super({ key: 'WorldScene' });
    this.deps = deps;
  }

  init(): void {
    this.figures = new Map();
    this.figureSignature = '';
    this.lastPlanning = null;
    this.resultsKey = null;
    this.anim = null;
    this.phase = null;
    this.layoutSignature = '';
    this.observedHole = null;
  }

  create(): void {
    // The ground never changes: it is drawn once per layout into a canvas texture (one quad to
    // draw per frame instead of hundreds of shapes to tessellate).
    this.bakeArt = this.make.graphics({}, false);
    this.groundImage = this.add.image(0, 0, '__DEFAULT').setOrigin(0, 0).setDepth(0);
    for (const tree of GEO.trees) drawTree(this.add.graphics().setDepth(FIGURE_DEPTH + tree.y), tree.x, tree.y, tree.r);
    for (const bench of GEO.benches) drawBench(this.add.graphics().setDepth(FIGURE_DEPTH + bench.y - 20), bench.x, bench.y);
    drawBusStop(this.add.graphics().setDepth(FIGURE_DEPTH + GEO.rows.walk - 8));

    const media = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
    this.mediaReduced = media?.matches ?? false;
    const onMedia = (event: MediaQueryListEvent): void => {
      this.mediaReduced = event.matches;
      this.sync(this.deps.store.getState());
    };
    media?.addEventListener('change', onMedia);

    this.layout();
    const onResize = (gameSize: Phaser.Structs.Size): void => {
      this.cameras.resize(gameSize.width, gameSize.height);
      this.layout();
    };
    this.scale.on(Phaser.Scale.Events.RESIZE, onResize);

    const onSkip = (): void => this.finishResults(true);
    window.addEventListener(WORLD_EVENTS.skip, onSkip);

    const unsubscribe = this.deps.store.subscribe((state) => this.sync(state));
    this.sync(this.deps.store.getState());

    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      unsubscribe();
      window.removeEventListener(WORLD_EVENTS.skip, onSkip);
      media?.removeEventListener('change', onMedia);
      this.scale.off(Phaser.Scale.Events.RESIZE, onResize);
      this.phase = null;
      this.finishResults(true);
      this.holeObserver?.disconnect();
      this.holeObserver = null;
      this.bakeArt?.destroy();
      this.bakeArt = null;
      this.groundImage = null;
      for (const key of this.baked) if (this.textures.exists(key)) this.textures.remove(key);
      this.baked.clear();
      delete this.game.canvas.dataset.worldPhase;
      delete this.game.canvas.dataset.worldAnimation;
    });
    this.events.once(Phaser.Scenes.Events.RENDER, () => this.deps.onFirstRender());
  }

  /* ---------------------------------------------------------------------------------------------
   * Fitting the neighbourhood beside the DOM panel
   * ------------------------------------------------------------------------------------------ */

  /**
   * The part of the canvas left visible by the DOM: the element marked `data-world-area` (the
   * game screen's hole between its bars and panel), else the left 60% (the whole width on narrow
   * screens, where the panel is a drawer).
   */
  private measureArea(): Rect {
    const { width, height } = this.scale;
    const hole = document.querySelector<HTMLElement>('[data-world-area]');
    if (hole !== this.observedHole) {
      this.holeObserver?.disconnect();
      this.observedHole = hole;
      if (hole && typeof ResizeObserver === 'function') {
        this.holeObserver ??= new ResizeObserver(() => {
          if (this.sys.isActive()) this.layout();
        });
        this.holeObserver.observe(hole);
      }
    }
    if (hole && hole.getClientRects().length > 0) {
      const r = hole.getBoundingClientRect();
      const c = this.game.canvas.getBoundingClientRect();
      // CSS pixels to canvas pixels (more than one on HiDPI screens, see startGame).
      const k = c.width > 0 ? width / c.width : 1;
      if (r.width >= 80 && r.height >= 80) return { x: (r.left - c.left) * k, y: (r.top - c.top) * k, width: r.width * k, height: r.height * k };
    }
    return worldArea(width, height, true);
  }

  private layout(): void {
    const { width, height } = this.scale;
    const area = this.measureArea();
    const signature = `${width}x${height}|${Math.round(area.x)},${Math.round(area.y)},${Math.round(area.width)},${Math.round(area.height)}`;
    if (signature === this.layoutSignature) return;
    this.layoutSignature = signature;
    const fit = fitDesign(area, width, height);
    const camera = this.cameras.main;
    camera.setZoom(fit.zoom);
    camera.centerOn(fit.centerX, fit.centerY);
    // Only the part the DOM leaves visible (plus a pixel) needs the ground.
    const viewX = fit.centerX - width / (2 * fit.zoom);
    const viewY = fit.centerY - height / (2 * fit.zoom);
    const x0 = Math.max(0, Math.floor(area.x) - 1);
    const y0 = Math.max(0, Math.floor(area.y) - 1);
    const x1 = Math.min(width, Math.ceil(area.x + area.width) + 1);
    const y1 = Math.min(height, Math.ceil(area.y + area.height) + 1);
    this.bakeGround(fit.zoom, viewX + x0 / fit.zoom, viewY + y0 / fit.zoom, x1 - x0, y1 - y0);
    // Baked figures and text are drawn to their own canvases: at the zoom, so that each of their
    // pixels lands on one pixel of the canvas (which has one pixel per device pixel, see startGame).
    if (fit.zoom !== this.zoom) {
      this.zoom = fit.zoom;
      this.textResolution = Math.max(1, Math.ceil(fit.zoom * 4) / 4);
      for (const figure of this.figures.values()) {
        for (const label of figure.labels) label.setResolution(this.textResolution);
        this.bakeFigure(figure);
      }
    }
  }

  /**
   * Draws static art with the Canvas 2D renderer (antialiased) into the canvas texture `key`
   * (w × h pixels): design units are scaled by `scale` and shifted by (-originX, -originY).
   */
  private bake(key: string, w: number, h: number, scale: number, originX: number, originY: number, draw: (g: Phaser.GameObjects.Graphics) => void): boolean {
    const g = this.bakeArt;
    if (!g) return false;
    w = Math.max(1, Math.ceil(w));
    h = Math.max(1, Math.ceil(h));
    const existing = this.textures.exists(key) ? (this.textures.get(key) as Phaser.Textures.CanvasTexture) : null;
    const texture = existing ?? this.textures.createCanvas(key, w, h);
    if (!texture) return false;
    if (texture.width !== w || texture.height !== h) texture.setSize(w, h);
    texture.context.clearRect(0, 0, w, h);
    g.clear();
    g.setScale(scale);
    g.translateCanvas(-originX, -originY);
    draw(g);
    g.generateTexture(key, w, h);
    g.clear();
    this.baked.add(key);
    return true;
  }

  /** The ground as the camera sees it, at screen resolution: one quad instead of hundreds of shapes. */
  private bakeGround(zoom: number, viewX: number, viewY: number, width: number, height: number): void {
    const image = this.groundImage;
    if (!image || !this.bake(GROUND_TEXTURE, width, height, zoom, viewX, viewY, drawGround)) return;
    image.setTexture(GROUND_TEXTURE).setPosition(viewX, viewY).setScale(1 / zoom);
  }

  /** A figure's body (and dog, or window) at the current zoom. */
  private bakeFigure(figure: Figure): void {
    const r = this.zoom;
    const box = FIGURE_BOX;
    const key = `tt-world-figure-${figure.index}`;
    if (!this.bake(key, box.width * r, box.height * r, r, box.x, box.y, (g) => this.drawBody(g, figure.placement, figure.look))) return;
    figure.body.setTexture(key).setPosition(box.x, box.y).setScale(1 / r);
  }

  private drawBody(g: Phaser.GameObjects.Graphics, placement: Placement, look: Look): FigureMetrics {
    if (placement.pose === 'bust') return this.drawWindowWatcher(g, look);
    const metrics = figureMetrics(0, UNIT, look);
    if (placement.dog) {
      const hand = { x: metrics.bodyWidth * 0.45, y: metrics.bodyTop + metrics.bodyHeight * 0.7 };
      drawDog(g, UNIT * 1.05, 2, UNIT, hash32(placement.index, 3), hand);
    }
    drawListener(g, 0, 0, UNIT, look);
    return metrics;
  }

  /* ---------------------------------------------------------------------------------------------
   * Following the store
   * ------------------------------------------------------------------------------------------ */

  private sync(state: AppState): void {
    const view = state.game;
    this.reducedMotion = state.settings.reducedMotion || this.mediaReduced;
    this.palette = state.settings.palette;
    const phase: Phase = view?.saved.phase ?? 'briefing';
    const planning = PLANNING.has(phase);
    if (planning && view?.preview) this.lastPlanning = view.preview.sample;
    const traces: readonly ListenerTrace[] = !view
      ? []
      : planning
        ? (view.preview?.sample ?? this.lastPlanning ?? view.lastSample)
        : view.lastSample.length > 0
          ? view.lastSample
          : (view.preview?.sample ?? []);
    this.ensureFigures(traces);
    this.layout();
    this.phase = phase;
    this.game.canvas.dataset.worldPhase = phase;

    if (phase === 'results' && view && view.lastSample.length > 0) {
      const key = `${view.saved.startedAt}|${view.saved.seed}|${view.results.length}`;
      if (key !== this.resultsKey) {
        this.resultsKey = key;
        this.playResults(view, traces);
      } else if (this.anim && this.reducedMotion) {
        this.finishResults(true);
      } else if (!this.anim) {
        this.showOutcomes(view, traces);
      }
      return;
    }
    this.finishResults(true);
    if (planning || !view) this.showPlanning(view, phase, traces);
    else this.showOutcomes(view, traces);
  }

  /** Creates the figures when the sampled listeners change (they stay put between phases). */
  private ensureFigures(traces: readonly ListenerTrace[]): void {
    const listeners = traces.length > 0 ? traces : Array.from({ length: 48 }, (_, index) => ({ index, truth: {} as Record<string, string> }));
    const signature = listeners.map((l) => `${l.index}:${l.truth.runner ?? ''}${l.truth.dog_walker ?? ''}${l.truth.commuter ?? ''}${l.truth.night_owl ?? ''}${l.truth.sensitive_places ?? ''}`).join(',');
    if (signature === this.figureSignature) return;
    this.figureSignature = signature;
    for (const figure of this.figures.values()) figure.container.destroy();
    this.figures.clear();
    const placements = placeListeners(listeners);
    listeners.forEach((listener, k) => {
      const figure = this.createFigure(placements[k]!, lookOf(listener));
      this.figures.set(listener.index, figure);
    });
  }

  private createFigure(placement: Placement, look: Look): Figure {
    const container = this.add.container(placement.x, placement.y).setDepth(FIGURE_DEPTH + placement.y);
    const ground = this.add.graphics();
    const body = this.add.image(0, 0, '__DEFAULT').setOrigin(0, 0);
    const badges = this.add.graphics();
    const metrics = placement.pose === 'bust' ? bustMetrics(0, UNIT) : figureMetrics(0, UNIT, look);
    const pop = this.add.container(0, metrics.top);
    const popGfx = this.add.graphics();
    pop.add(popGfx);
    container.add([ground, body, badges, pop]);
    const figure: Figure = {
      index: placement.index,
      placement,
      look,
      metrics,
      container,
      ground,
      body,
      badges,
      pop,
      popGfx,
      labels: [],
      overlayKey: '',
      ghost: false,
      leaving: false,
      angle: placement.trackAngle ?? 0,
      phase: (hash32(placement.index, 5) % 1000) / 159,
      popAt: null,
    };
    this.bakeFigure(figure);
    return figure;
  }

  /** A night owl: a lit window (yellow moon on a dark pane) with the listener looking out. */
  private drawWindowWatcher(g: Phaser.GameObjects.Graphics, look: Look): FigureMetrics {
    const w = 34;
    const h = 36;
    g.fillStyle(colourNumber('text'), 1);
    g.fillRoundedRect(-w / 2, -h, w, h, 3);
    g.fillStyle(colourNumber('highlight'), 1);
    g.fillCircle(w / 2 - 8, -h + 8, 5);
    g.fillStyle(colourNumber('text'), 1);
    g.fillCircle(w / 2 - 6, -h + 6.5, 4.2);
    const metrics = drawBust(g, 0, 0, UNIT, look);
    g.lineStyle(2.4, colourNumber('text'), 1);
    g.strokeRoundedRect(-w / 2, -h, w, h, 3);
    g.fillStyle(colourNumber('panel'), 1);
    g.fillRect(-w / 2 - 3, 0, w + 6, 4);
    return metrics;
  }

  /* ---------------------------------------------------------------------------------------------
   * Planning phases
   * ------------------------------------------------------------------------------------------ */

  private showPlanning(view: GameView | null, phase: Phase, traces: readonly ListenerTrace[]): void {
    const sensitive = view ? sensitiveTraits(view) : new Set<string>();
    const segmentIds = view?.preview?.segments.map((s) => s.id) ?? [];
    let targeted: Set<string> | null = null;
    if (view && phase === 'serve') {
      try {
        targeted = new Set(currentDecisions(view).assignments.map((a) => a.segment));
      } catch {
        targeted = null;
      }
    }
    const byIndex = new Map(traces.map((t) => [t.index, t] as const));
    for (const figure of this.figures.values()) {
      const trace = byIndex.get(figure.index);
      if (!trace) {
        this.applyOverlay(figure, EMPTY_OVERLAY);
        continue;
      }
      const overlay: Overlay = {
        ...EMPTY_OVERLAY,
        ghost: trace.churned,
        premium: trace.premium,
        optedOut: trace.optedOut ? 'muted' : 'no',
      };
      if (!trace.churned) {
        if (phase === 'collect') {
          overlay.arcs = signalArcs(trace.covered.length);
          overlay.tag = trace.inferred.length > 0 ? { count: trace.inferred.length, sensitive: hasSensitiveInference(trace, sensitive) } : null;
        } else if (phase === 'segment' || phase === 'serve') {
          overlay.chips = trace.segments
            .map((id) => segmentIds.indexOf(id))
            .filter((k) => k >= 0)
            .sort((a, b) => a - b)
            .map((k) => ({ ...segmentStyle(k, this.palette), hollow: targeted !== null && !targeted.has(segmentIds[k]!) }));
          overlay.dim = segmentIds.length > 0 && overlay.chips.length === 0;
        }
      }
      this.applyOverlay(figure, overlay);
    }
  }

  /* ---------------------------------------------------------------------------------------------
   * Results: the animation and its end state
   * ------------------------------------------------------------------------------------------ */

  private outcomes(view: GameView, traces: readonly ListenerTrace[]): Map<number, { trace: ListenerTrace; outcome: Outcome }> {
    const status = view.stateBefore.pop.status;
    const map = new Map<number, { trace: ListenerTrace; outcome: Outcome }>();
    for (const trace of traces) {
      const before = status[trace.index] ?? 0;
      map.set(trace.index, { trace, outcome: outcomeOf(trace, { optedOut: (before & OPTED_OUT) !== 0, churned: (before & CHURNED) !== 0 }) });
    }
    return map;
  }

  private resultsOverlay(trace: ListenerTrace, outcome: Outcome, shown: { reactions: boolean; optOut: boolean; churn: boolean }): Overlay {
    const icons: IconKind[] = [];
    if (shown.reactions && !outcome.churnedBefore) {
      icons.push(...outcome.reactions);
      if (outcome.reactions.length === 0 && outcome.campaigns > 0) icons.push('sawAd');
    }
    const optedOut: Overlay['optedOut'] = outcome.optedOutBefore ? 'muted' : outcome.optedOutNow && shown.optOut ? 'fresh' : 'no';
    return {
      ...EMPTY_OVERLAY,
      premium: trace.premium,
      ghost: outcome.churnedBefore || (outcome.churnedNow && shown.churn),
      optedOut,
      icons,
    };
  }

  /** The end state of the last round, at once. */
  private showOutcomes(view: GameView, traces: readonly ListenerTrace[]): void {
    const all = { reactions: true, optOut: true, churn: true };
    const outcomes = this.outcomes(view, traces);
    for (const figure of this.figures.values()) {
      const entry = outcomes.get(figure.index);
      this.applyOverlay(figure, entry ? this.resultsOverlay(entry.trace, entry.outcome, all) : EMPTY_OVERLAY, false);
    }
  }

  private playResults(view: GameView, traces: readonly ListenerTrace[]): void {
    this.finishResults(true);
    const round = view.results.length;
    if (this.reducedMotion) {
      this.showOutcomes(view, traces);
      this.game.canvas.dataset.worldAnimation = 'done';
      window.dispatchEvent(new CustomEvent(WORLD_EVENTS.done, { detail: { round, skipped: false } }));
      return;
    }
    const outcomes = this.outcomes(view, traces);
    const none = { reactions: false, optOut: false, churn: false };
    const steps: ResultsStep[] = [];
    for (const figure of this.figures.values()) {
      const entry = outcomes.get(figure.index);
      this.applyOverlay(figure, entry ? this.resultsOverlay(entry.trace, entry.outcome, none) : EMPTY_OVERLAY, false);
    }
    const cues = resultsCues(
      [...this.figures.values()].flatMap((f) => {
        const entry = outcomes.get(f.index);
        return entry ? [{ index: f.index, x: f.container.x, y: f.container.y, outcome: entry.outcome }] : [];
      }),
    );
    for (const cue of cues) {
      const figure = this.figures.get(cue.index);
      const entry = outcomes.get(cue.index);
      if (figure && entry) steps.push({ cue, figure, trace: entry.trace, outcome: entry.outcome, shown: { ...none }, card: null, from: null });
    }
    const { logo } = GEO.tower;
    const ring = this.add.graphics().setDepth(CARD_DEPTH - 1).setPosition(logo.x, logo.y);
    ring.lineStyle(4, colourNumber('primary'), 1);
    ring.strokeCircle(0, 0, 27);
    this.anim = { round, startedAt: performance.now(), steps, ring };
    this.game.canvas.dataset.worldAnimation = 'playing';
    window.dispatchEvent(new CustomEvent(WORLD_EVENTS.start, { detail: { round, duration: RESULTS_TIMING.total } }));
  }

  /**
   * Advances the results animation to the wall-clock time `now`. Driven by real time, not by
   * frames, so that it lasts about 5 s even on a slow machine (with fewer frames).
   */
  private stepResults(now: number): void {
    const anim = this.anim;
    if (!anim) return;
    const t = now - anim.startedAt;
    const T = RESULTS_TIMING;
    const { logo } = GEO.tower;

    // Rings from the mast's logo while the ads go out.
    const pulse = 700;
    if (t < T.lastCard + pulse) {
      const k = (t % pulse) / pulse;
      anim.ring.setVisible(true).setScale(1 + 1.4 * k).setAlpha(0.9 * (1 - k));
    } else anim.ring.setVisible(false);

    for (const step of anim.steps) {
      const { cue, figure } = step;
      if (cue.cardAt !== null && cue.reactAt !== null && !step.shown.reactions && t >= cue.cardAt) {
        if (t >= cue.reactAt) {
          step.card?.destroy();
          step.card = null;
          this.revealStep(step, 'reactions');
        } else {
          if (!step.card) {
            step.card = this.add.graphics().setDepth(CARD_DEPTH);
            drawAdCard(step.card, 0, 0, 28, 20);
          }
          const f = Math.min(1, (t - cue.cardAt) / T.flight);
          const e = 0.5 - Math.cos(Math.PI * f) / 2;
          const target = { x: figure.container.x, y: figure.container.y + figure.metrics.top - 6 };
          // A gentle arc that stays inside the neighbourhood (the DOM bars sit above it).
          const via = { x: (logo.x + target.x) / 2, y: Math.max(logo.y, Math.min(logo.y, target.y) - 40) };
          const p = bezier(e, logo, via, target);
          step.card.setPosition(p.x, p.y).setScale(0.7 + 0.45 * Math.sin(Math.PI * e)).setVisible(f < 1);
        }
      }
      if (cue.optOutAt !== null && !step.shown.optOut && t >= cue.optOutAt) this.revealStep(step, 'optOut');
      if (cue.churnAt !== null && !step.shown.churn && t >= cue.churnAt) {
        // Walks off to the side and fades.
        step.from ??= { x: figure.container.x, y: figure.container.y };
        figure.leaving = true;
        const f = Math.min(1, (t - cue.churnAt) / T.churnFor);
        const e = 0.5 - Math.cos(Math.PI * f) / 2;
        figure.container.setPosition(step.from.x + GHOST_SHIFT * e, step.from.y - Math.abs(Math.sin(f * Math.PI * 4)) * 2);
        figure.container.setAlpha(1 - (1 - GHOST_ALPHA) * e);
        if (f >= 1) {
          figure.leaving = false;
          this.revealStep(step, 'churn');
        }
      }
    }
    if (t >= T.total) this.finishResults(false);
  }

  private revealStep(step: ResultsStep, part: 'reactions' | 'optOut' | 'churn'): void {
    step.shown[part] = true;
    // A cue for the most serious reaction (cues.ts plays nothing while sound is off).
    const reaction = step.outcome.reactions[0];
    if (part === 'optOut') playCue('optOut');
    else if (part === 'churn') playCue('leave');
    else if (reaction) playCue(reaction === 'harm' ? 'creepy' : reaction === 'optedOut' ? 'optOut' : reaction);
    this.applyOverlay(step.figure, this.resultsOverlay(step.trace, step.outcome, step.shown), part !== 'churn');
  }

  /** Ends the results animation (skipped or not) on its end state, and says so. */
  private finishResults(skipped: boolean): void {
    const anim = this.anim;
    if (!anim) return;
    this.anim = null;
    for (const step of anim.steps) {
      step.card?.destroy();
      step.figure.leaving = false;
    }
    anim.ring.destroy();
    const view = this.deps.store.getState().game;
    if (view && this.phase !== null && !PLANNING.has(this.phase)) this.showOutcomes(view, view.lastSample);
    if (this.game.canvas) this.game.canvas.dataset.worldAnimation = 'done';
    window.dispatchEvent(new CustomEvent(WORLD_EVENTS.done, { detail: { round: anim.round, skipped } }));
  }

  /* ---------------------------------------------------------------------------------------------
   * Drawing the overlays
   * ------------------------------------------------------------------------------------------ */

  private applyOverlay(figure: Figure, overlay: Overlay, animate = true): void {
    // The palette is part of the key: switching it redraws icons and tags.
    const key = `${this.palette}|${JSON.stringify(overlay)}`;
    if (key === figure.overlayKey) return;
    figure.overlayKey = key;
    const m = figure.metrics;
    const ink = colourNumber('text');

    // The ground ring of the first segment (solid, dashed, dotted or double, and its letter above).
    const g = figure.ground;
    g.clear();
    const first = overlay.chips[0];
    if (first && figure.placement.pose === 'stand') {
      const colour = Number.parseInt(first.colour.slice(1), 16);
      g.fillStyle(colour, first.hollow ? 0.12 : 0.3);
      g.fillEllipse(0, 1, UNIT * 1.5, UNIT * 0.5, 32);
      strokeRing(g, 0, 1, UNIT * 0.78, UNIT * 0.27, colour, first.pattern);
    }

    // Premium: a star on the shoulder.
    const b = figure.badges;
    b.clear();
    if (overlay.premium) drawPremiumBadge(b, m.bodyWidth * 0.55, m.bodyTop + 5, 7);

    // Over the head.
    const p = figure.popGfx;
    p.clear();
    for (const label of figure.labels) label.setVisible(false);
    let labelsUsed = 0;
    const label = (text: string, x: number, y: number, colour: string, size: number): void => {
      let t = figure.labels[labelsUsed];
      if (!t) {
        t = this.add
          .text(0, 0, '', { fontFamily: FONT_STACK, fontStyle: 'bold', fontSize: `${size}px`, color: colour })
          .setOrigin(0.5, 0.5)
          .setResolution(this.textResolution);
        figure.labels.push(t);
        figure.pop.add(t);
      }
      labelsUsed++;
      t.setText(text).setFontSize(size).setColor(colour).setPosition(x, y).setVisible(true);
    };
    const headY = m.headY - m.top;
    if (overlay.arcs > 0) drawSignalArcs(p, 0, headY, m.headRadius, m.stroke, overlay.arcs);
    if (overlay.tag) {
      // A luggage tag beside the head: the number of things inferred ("!" when one is sensitive).
      const tx = m.headRadius + 5;
      const ty = headY - 5;
      const text = overlay.tag.sensitive ? `${overlay.tag.count}!` : String(overlay.tag.count);
      const w = (overlay.tag.sensitive ? 12 : 6) + text.length * 7;
      const h = 17;
      p.fillStyle(overlay.tag.sensitive ? colourNumber('warning', this.palette) : colourNumber('signal'), 1);
      p.fillRoundedRect(tx + 5, ty - h / 2, w, h, 3);
      p.fillTriangle(tx, ty, tx + 6, ty - h / 2, tx + 6, ty + h / 2);
      p.lineStyle(1.5, ink, 1);
      p.strokeRoundedRect(tx + 5, ty - h / 2, w, h, 3);
      p.fillStyle(ink, 1);
      p.fillCircle(tx + 4, ty, 1.7);
      label(text, tx + 5 + w / 2, ty, PALETTE.text, LABEL_SIZE);
    }
    const rowY = -12;
    if (overlay.chips.length > 0) {
      const size = CHIP_SIZE;
      const gap = 3;
      const width = overlay.chips.length * size + (overlay.chips.length - 1) * gap;
      overlay.chips.forEach((chip, k) => {
        const x = -width / 2 + k * (size + gap);
        const colour = Number.parseInt(chip.colour.slice(1), 16);
        if (chip.hollow) {
          p.fillStyle(colourNumber('panel'), 1);
          p.fillRoundedRect(x, rowY - size / 2, size, size, 4);
          p.lineStyle(2, colour, 1);
          p.strokeRoundedRect(x + 1, rowY - size / 2 + 1, size - 2, size - 2, 4);
          label(chip.letter, x + size / 2, rowY, PALETTE.text, LABEL_SIZE);
        } else {
          p.fillStyle(colour, 1);
          p.fillRoundedRect(x, rowY - size / 2, size, size, 4);
          label(chip.letter, x + size / 2, rowY, chip.textColour, LABEL_SIZE);
        }
      });
    }
    const icons: { kind: IconKind; muted: boolean }[] = overlay.icons.map((kind) => ({ kind, muted: false }));
    if (overlay.optedOut !== 'no') icons.push({ kind: 'optedOut', muted: overlay.optedOut === 'muted' });
    if (icons.length > 0) {
      const r = ICON_RADIUS;
      const gap = 4;
      const width = icons.length * 2 * r + (icons.length - 1) * gap;
      icons.forEach((icon, k) => drawIcon(p, icon.kind, -width / 2 + r + k * (2 * r + gap), rowY - 1, icon.kind === 'optedOut' && icon.muted && icons.length === 1 ? r * 0.85 : r, icon.muted, this.palette));
    }

    // A listener who left is only a faint outline of themselves.
    const shifted = overlay.ghost && !figure.ghost;
    figure.ghost = overlay.ghost;
    if (!figure.leaving) {
      figure.container.setAlpha(overlay.ghost ? GHOST_ALPHA : overlay.dim ? DIM_ALPHA : 1);
      if (shifted || !overlay.ghost) this.placeAtRest(figure);
    }

    const hasPop = overlay.arcs > 0 || overlay.tag !== null || overlay.chips.length > 0 || icons.length > 0;
    if (animate && hasPop && !this.reducedMotion) {
      figure.popAt = performance.now() + (figure.index % 12) * 18;
      figure.pop.setScale(0.4).setAlpha(0);
    } else {
      figure.popAt = null;
      figure.pop.setScale(1).setAlpha(1);
    }
  }

  /** Puts a figure on its spot (a listener who left stands a little aside). */
  private placeAtRest(figure: Figure): void {
    const at = figure.placement.trackAngle !== undefined ? trackPoint(figure.angle) : { x: figure.placement.x, y: figure.placement.y };
    figure.container.setPosition(at.x + (figure.ghost ? GHOST_SHIFT : 0), at.y);
    figure.container.setDepth(FIGURE_DEPTH + at.y);
  }

  /* ---------------------------------------------------------------------------------------------
   * Idle life: runners lap the track, dogs are walked, heads nod to the music
   * ------------------------------------------------------------------------------------------ */

  update(time: number): void {
    const now = performance.now();
    this.stepResults(now);
    for (const figure of this.figures.values()) {
      if (figure.popAt !== null) {
        const k = Math.max(0, Math.min(1, (now - figure.popAt) / POP_DURATION));
        figure.pop.setScale(0.4 + 0.6 * backOut(k)).setAlpha(k);
        if (k >= 1) figure.popAt = null;
      }
    }
    if (this.reducedMotion) return;
    for (const figure of this.figures.values()) {
      if (figure.ghost || figure.leaving) continue;
      const { placement, container } = figure;
      if (placement.trackAngle !== undefined) {
        figure.angle = placement.trackAngle + time * RUN_SPEED;
        const at = trackPoint(figure.angle);
        container.setPosition(at.x, at.y - Math.abs(Math.sin(time / 170 + figure.phase)) * 2);
        container.setDepth(FIGURE_DEPTH + at.y);
      } else if (placement.pathT !== undefined) {
        const at = dogPathPoint(placement.pathT + Math.sin(time / 2600 + figure.phase) * 0.03);
        container.setPosition(at.x, at.y);
        container.setDepth(FIGURE_DEPTH + at.y);
      } else {
        container.y = placement.y - Math.max(0, Math.sin(time / 320 + figure.phase)) * 1.2;
      }
    }
  }
}

/** Overshoots a little, then settles (for things popping in). */
function backOut(k: number): number {
  const s = 1.70158;
  const u = k - 1;
  return 1 + u * u * ((s + 1) * u + s);
}

function sensitiveTraits(view: GameView): Set<string> {
  const { population, response } = view.pack.scenario;
  return new Set(population.traits.filter((t) => t.sensitivity >= response.sensitiveFrom).map((t) => t.id));
}

/** An ellipse outline in a pattern: solid, dashed, dotted or double. */
function strokeRing(g: Phaser.GameObjects.Graphics, x: number, y: number, rx: number, ry: number, colour: number, pattern: RingPattern): void {
  g.lineStyle(2.5, colour, 1);
  if (pattern === 'solid' || pattern === 'double') {
    g.strokeEllipse(x, y, rx * 2, ry * 2, 40);
    if (pattern === 'double') g.strokeEllipse(x, y, rx * 2 + 9, ry * 2 + 5, 40);
    return;
  }
  const steps = pattern === 'dashed' ? 12 : 18;
  for (let k = 0; k < steps; k++) {
    const a0 = (k / steps) * Math.PI * 2;
    if (pattern === 'dotted') {
      g.fillStyle(colour, 1);
      g.fillCircle(x + Math.cos(a0) * rx, y + Math.sin(a0) * ry, 1.7);
    } else {
      const a1 = a0 + (Math.PI * 2) / steps / 2;
      g.beginPath();
      g.moveTo(x + Math.cos(a0) * rx, y + Math.sin(a0) * ry);
      g.lineTo(x + Math.cos((a0 + a1) / 2) * rx, y + Math.sin((a0 + a1) / 2) * ry);
      g.lineTo(x + Math.cos(a1) * rx, y + Math.sin(a1) * ry);
      g.strokePath();
    }
  }
}
