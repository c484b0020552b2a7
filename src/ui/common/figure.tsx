/**
 * Any chart drawn for a file rather than for the screen: rendered once, off screen, at a fixed size
 * (so a figure saved from a phone looks like one saved from a desktop), then copied out as
 * standalone SVG with a title and a subtitle.
 */
import type { ReactElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { standaloneSize, standaloneSvg } from './standaloneSvg';
import type { Palette } from './palette';

export const EXPORT_WIDTH = 960;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export interface FigureSvg {
  text: string;
  width: number;
  height: number;
}

/** Waits until the chart is drawn as far as `ready` asks (recharts lays out over a few renders). */
async function drawn(
  host: HTMLElement,
  ready: (svg: SVGSVGElement) => boolean,
  timeoutMs = 2000,
): Promise<SVGSVGElement> {
  const started = Date.now();
  for (;;) {
    const svg = host.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (svg && ready(svg)) {
      // One more frame, so every part drawn in the same pass is there too.
      await new Promise((resolve) => setTimeout(resolve, 32));
      return svg;
    }
    if (Date.now() - started > timeoutMs) throw new Error('the chart did not finish drawing');
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

/** `chart` must take EXPORT_WIDTH as its fixed width. */
export async function figureSvg(
  chart: ReactElement,
  ready: (svg: SVGSVGElement) => boolean,
  words: { title: string; subtitle: string },
  palette: Palette,
): Promise<FigureSvg> {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = `position:fixed;left:-20000px;top:0;width:${EXPORT_WIDTH}px;visibility:hidden;pointer-events:none`;
  document.body.appendChild(host);
  const root = createRoot(host);
  try {
    flushSync(() => root.render(chart));
    const svg = await drawn(host, ready);
    const text = standaloneSvg(svg, { background: palette.background, text: palette.text, fontFamily: FONT, ...words });
    return { text, ...standaloneSize(svg) };
  } finally {
    root.unmount();
    host.remove();
  }
}

/** Counts the parts of a drawn chart, for `ready`. */
export const countOf = (svg: SVGSVGElement, selector: string) => svg.querySelectorAll(selector).length;
