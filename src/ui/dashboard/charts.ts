/**
 * The dashboard's two charts as SVG built with DOM calls (text only through textContent): a
 * histogram of scores and a scatter of profit against trust. Each is an image with a spoken
 * summary; the figures themselves are in a table beside it. Colours from the Okabe–Ito palette,
 * and nothing is told by colour alone.
 */
import type { Bin } from './classReport';

const SVG = 'http://www.w3.org/2000/svg';
const W = 560;
const H = 240;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };

type SvgAttrs = Record<string, string | number>;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: SvgAttrs = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(label: string): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart' });
  svg.append(el('title', {}, label));
  return svg;
}

function axes(svg: SVGSVGElement, xLabel: string, yLabel: string): void {
  const x0 = PAD.left;
  const y0 = H - PAD.bottom;
  svg.append(
    el('line', { x1: x0, y1: y0, x2: W - PAD.right, y2: y0, class: 'chart-axis' }),
    el('line', { x1: x0, y1: PAD.top, x2: x0, y2: y0, class: 'chart-axis' }),
    el('text', { x: (x0 + W - PAD.right) / 2, y: H - 4, 'text-anchor': 'middle', class: 'chart-label' }, xLabel),
    el('text', { x: 12, y: (PAD.top + y0) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(PAD.top + y0) / 2})`, class: 'chart-label' }, yLabel),
  );
}

/** Bars of students per score bin, each with its count written above it. */
export function histogramSvg(bins: Bin[], text: { label: string; x: string; y: string; bin: (b: Bin) => string; count: (n: number) => string }): SVGSVGElement {
  const svg = frame(text.label);
  axes(svg, text.x, text.y);
  const max = Math.max(1, ...bins.map((b) => b.count));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / bins.length;
  bins.forEach((b, i) => {
    const x = PAD.left + i * step;
    const h = (b.count / max) * (plotH - 14);
    const y = H - PAD.bottom - h;
    if (b.count) svg.append(el('rect', { x: x + 3, y, width: step - 6, height: h, class: 'chart-bar' }));
    svg.append(
      el('text', { x: x + step / 2, y: y - 3, 'text-anchor': 'middle', class: 'chart-value' }, text.count(b.count)),
      el('text', { x: x + step / 2, y: H - PAD.bottom + 14, 'text-anchor': 'middle', class: 'chart-tick' }, text.bin(b)),
    );
  });
  return svg;
}

export interface Point {
  x: number;
  y: number;
  /** Shown on hover (an SVG title), e.g. the nickname. */
  label: string;
}

/** Students as dots: profit across, trust up (0–100), with the axes' ends labelled. */
export function scatterSvg(points: Point[], text: { label: string; x: string; y: string; xTick: (v: number) => string; yTick: (v: number) => string }): SVGSVGElement {
  const svg = frame(text.label);
  axes(svg, text.x, text.y);
  const xs = points.map((p) => p.x);
  let lo = Math.min(0, ...xs);
  let hi = Math.max(0, ...xs);
  if (hi === lo) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sx = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * plotW;
  const sy = (v: number) => H - PAD.bottom - (Math.max(0, Math.min(100, v)) / 100) * plotH;
  // Zero profit, where a strategy starts to lose money.
  svg.append(el('line', { x1: sx(0), y1: PAD.top, x2: sx(0), y2: H - PAD.bottom, class: 'chart-zero' }));
  for (const v of [0, 50, 100]) svg.append(el('text', { x: PAD.left - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, text.yTick(v)));
  for (const v of [lo + pad, 0, hi - pad].filter((v, i, all) => all.indexOf(v) === i))
    svg.append(el('text', { x: sx(v), y: H - PAD.bottom + 14, 'text-anchor': 'middle', class: 'chart-tick' }, text.xTick(v)));
  for (const p of points) {
    const dot = el('circle', { cx: sx(p.x), cy: sy(p.y), r: 5, class: 'chart-dot' });
    dot.append(el('title', {}, p.label));
    svg.append(dot);
  }
  return svg;
}
