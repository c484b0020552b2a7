/**
 * The result chart drawn for a file rather than for the screen: rendered once, off screen, at a
 * fixed size, so a figure saved from a phone looks like one saved from a desktop.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { ConditionName, ExperimentResult } from '../experiment/results';
import { ResultChart } from './components/ResultChart';
import { standaloneSize, standaloneSvg } from './export';
import type { Palette } from './palette';

export const EXPORT_WIDTH = 960;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

/** Waits until the chart has drawn its bars and error bars (recharts lays out over a few renders). */
async function drawn(host: HTMLElement, bars: number, errorBars: number, timeoutMs = 2000): Promise<SVGSVGElement> {
  const started = Date.now();
  for (;;) {
    const svg = host.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (svg && svg.querySelectorAll('.recharts-bar-rectangle').length >= bars && svg.querySelectorAll('.recharts-errorBar').length >= errorBars) {
      // One more frame, so every part drawn in the same pass is there too.
      await new Promise((resolve) => setTimeout(resolve, 32));
      return svg;
    }
    if (Date.now() - started > timeoutMs) throw new Error('the chart did not finish drawing');
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

/** The result figure as standalone SVG text, with its size. */
export async function resultFigureSvg(
  result: ExperimentResult,
  featured: ConditionName,
  palette: Palette,
): Promise<{ text: string; width: number; height: number }> {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = `position:fixed;left:-20000px;top:0;width:${EXPORT_WIDTH}px;visibility:hidden;pointer-events:none`;
  document.body.appendChild(host);
  const root = createRoot(host);
  try {
    flushSync(() => root.render(<ResultChart result={result} featured={featured} palette={palette} width={EXPORT_WIDTH} />));
    const withInterval = Object.values(result.conditions).filter((condition) => condition.ci95 !== null && condition.ci95 > 0).length;
    const svg = await drawn(host, 2 * Object.keys(result.conditions).length, withInterval);
    const models = result.conditions.teacher.accuracies.length;
    const text = standaloneSvg(svg, {
      background: palette.background,
      text: palette.text,
      fontFamily: FONT,
      title: 'Subliminal learning in an MNIST MLP: test accuracy by condition',
      subtitle: `Mean over ${models} model${models === 1 ? '' : 's'} with 95% interval; faint bars: the paper; dashed line: chance (10%)`,
    });
    return { text, ...standaloneSize(svg) };
  } finally {
    root.unmount();
    host.remove();
  }
}
