/**
 * What the live-show measurements read from the page (issue 18), shared by the browser test
 * (liveShow.test.ts) and the measurement script (scripts/measure-live-show.ts). Everything here that
 * runs in the page is a self-contained function (Playwright serialises it), reading only the page's
 * stable hooks: data-testid, data-status, and the chart's SVG (recharts names each line).
 */

/** One moment of the first screen, recorded whenever something in it changed. */
export interface Sample {
  /** performance.now() in the page, ms. */
  t: number;
  phase: string;
  /** The progress line's speed and time left. */
  detail: string;
  status: string | null;
  same: string | null;
  different: string | null;
  /** The numbers behind those words (data-value): "at chance" is a reading, not a blank. */
  sameValue: number | null;
  differentValue: number | null;
  /** Points drawn per chart line, by the line's name ("Teacher", "Same start", …). */
  points: Record<string, number>;
  runText: string;
  runWidth: number;
}

export interface Shift {
  t: number;
  value: number;
  hadRecentInput: boolean;
  /** The shifted nodes, each as tag.class or testid, with how far its top moved (px). */
  sources: string[];
}

export interface Recording {
  /** performance.now() of the click on Run (null before). */
  clickAt: number | null;
  samples: Sample[];
  shifts: Shift[];
}

declare global {
  interface Window {
    __liveShow?: Recording;
  }
}

/**
 * Installed before the page's own scripts (context.addInitScript): a MutationObserver that samples
 * the first screen on every change, a capturing click listener that notes when Run is pressed,
 * and a buffered layout-shift observer. All times are the page's performance.now().
 */
export function installRecorder(): void {
  const recording: Recording = { clickAt: null, samples: [], shifts: [] };
  window.__liveShow = recording;
  const byId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const valueOf = (id: string) => {
    const value = byId(id)?.getAttribute('data-value');
    return value ? Number(value) : null;
  };
  let last = '';
  const sample = () => {
    const points: Record<string, number> = {};
    for (const path of document.querySelectorAll('[data-testid="hero-chart"] path.recharts-line-curve[name]')) {
      const d = path.getAttribute('d') ?? '';
      points[path.getAttribute('name') ?? '?'] = (d.match(/[ML]/g) ?? []).length;
    }
    const run = byId('run');
    const now: Omit<Sample, 't'> = {
      phase: text('phase') ?? '',
      detail: document.querySelector('.progress-detail')?.textContent?.trim() ?? '',
      status: byId('hero-verdict')?.getAttribute('data-status') ?? null,
      same: text('verdict-same'),
      different: text('verdict-different'),
      sameValue: valueOf('verdict-same'),
      differentValue: valueOf('verdict-different'),
      points,
      runText: run?.textContent?.trim() ?? '',
      runWidth: run ? Math.round(run.getBoundingClientRect().width) : 0,
    };
    const key = JSON.stringify(now);
    if (key !== last) {
      last = key;
      recording.samples.push({ t: performance.now(), ...now });
    }
  };
  new MutationObserver(sample).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('[data-testid="run"]') : null;
      if (target && recording.clickAt === null) {
        recording.clickAt = performance.now();
        sample();
      }
    },
    true,
  );
  const describe = (node: Node | null) => {
    if (!(node instanceof Element)) return node?.nodeName ?? '?';
    const id = node.closest('[data-testid]')?.getAttribute('data-testid');
    return `${node.tagName.toLowerCase()}${node.className && typeof node.className === 'string' ? `.${node.className.split(' ')[0]}` : ''}${id ? `@${id}` : ''}`;
  };
  interface LayoutShiftEntry extends PerformanceEntry {
    value: number;
    hadRecentInput: boolean;
    sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as LayoutShiftEntry[]) {
      recording.shifts.push({
        t: entry.startTime,
        value: entry.value,
        hadRecentInput: entry.hadRecentInput,
        sources: entry.sources.map(
          (s) => `${describe(s.node)} ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`,
        ),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** The chart's last drawn point of each line, as accuracy 0–1 read off the SVG (the plot spans 0–100%). */
export function chartLastPoints(): Record<string, number> {
  const chart = document.querySelector('[data-testid="hero-chart"]');
  const plot = chart?.querySelector('clipPath rect');
  const out: Record<string, number> = {};
  if (!chart || !plot) return out;
  const top = Number(plot.getAttribute('y'));
  const height = Number(plot.getAttribute('height'));
  for (const path of chart.querySelectorAll('path.recharts-line-curve[name]')) {
    const numbers = (path.getAttribute('d') ?? '').match(/-?\d+(\.\d+)?/g);
    if (!numbers || numbers.length < 2) continue;
    const y = Number(numbers[numbers.length - 1]);
    out[path.getAttribute('name') ?? '?'] = (top + height - y) / height;
  }
  return out;
}

/** Every data-* attribute of the hero chart (the lead may expose its last points there). */
export function chartDataAttributes(): Record<string, string> {
  const chart = document.querySelector('[data-testid="hero-chart"]');
  const out: Record<string, string> = {};
  for (const { name, value } of chart?.attributes ?? []) if (name.startsWith('data-')) out[name] = value;
  return out;
}

/** One text on screen with its size and contrast against what lies behind it. */
export interface TextAudit {
  text: string;
  where: string;
  fontPx: number;
  color: string;
  background: string;
  contrast: number;
  /** A disabled control's text (WCAG sets no contrast for inactive controls). */
  disabled: boolean;
}

/**
 * Every visible text of the first screen (the top `height` px of the page, scrolled to the top):
 * its font size and its WCAG contrast ratio against the first opaque background behind it
 * (semi-transparent layers composited on the way). SVG text uses its fill.
 */
export function auditTexts(): TextAudit[] {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1]!.split(/[ ,/]+/).map(Number);
    return [r!, g!, b!, a === undefined || Number.isNaN(a) ? 1 : a];
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3] + below[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (element: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out: Rgba = [255, 255, 255, 1]; // the canvas behind everything
    for (const layer of layers.reverse()) out = over(layer, out);
    return out;
  };
  const luminance = ([r, g, b]: Rgba) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a: Rgba, b: Rgba) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  const css = ([r, g, b, a]: Rgba) => `rgba(${Math.round(r)},${Math.round(g)},${Math.round(b)},${a.toFixed(2)})`;
  const out: TextAudit[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    const element = node.parentElement;
    if (!words || !element || element.closest('title, desc, script, style, [aria-hidden="true"] title')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1 || rect.bottom <= 0 || rect.top >= window.innerHeight) continue;
    if (rect.right <= 0 || rect.left >= window.innerWidth) continue;
    // Closed <details> content, and text hidden for screen readers only (a 1 px clipped box).
    if (!element.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true }))
      continue;
    if (element.closest('details:not([open]) > :not(summary)')) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(element);
    let opacity = 1;
    for (let e: Element | null = element; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    if (opacity === 0) continue;
    const svg = element instanceof SVGElement;
    const back = background(svg ? (element.closest('svg')?.parentElement ?? element) : element);
    const own = parse(svg ? style.fill : style.color);
    const color = over([own[0], own[1], own[2], own[3] * opacity], back);
    const id = element.closest('[data-testid]')?.getAttribute('data-testid');
    out.push({
      text: words.slice(0, 60),
      where: `${element.tagName.toLowerCase()}${element.classList[0] ? `.${element.classList[0]}` : ''}${id ? `@${id}` : ''}`,
      fontPx: Number.parseFloat(style.fontSize),
      color: css(color),
      background: css(back),
      contrast: Math.round(contrast(color, back) * 100) / 100,
      disabled: element.closest(':disabled') !== null,
    });
  }
  return out;
}

/**
 * The focused element's focus ring (outline, else box-shadow colour) against the background
 * around the element, as a WCAG contrast ratio; null without a visible ring.
 */
export function focusRingContrast(): { ring: string; background: string; contrast: number } | null {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  let ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0 ? style.outlineColor : '';
  if (!ring && style.boxShadow !== 'none') ring = style.boxShadow.match(/rgba?\([^)]+\)/)?.[0] ?? '';
  if (!ring) return null;
  const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  let behind = [255, 255, 255];
  for (let e = element.parentElement; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c[3] ?? 1) >= 1) {
      behind = c;
      break;
    }
  }
  const lum = (c: number[]) =>
    c
      .slice(0, 3)
      .map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [a, b] = [lum(parse(ring)), lum(behind)].sort((p, q) => q - p);
  return {
    ring,
    background: `rgb(${behind.slice(0, 3).join(',')})`,
    contrast: Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100,
  };
}

/** "68%" or "68.4 %" → 0.68 / 0.684; null for "—" or nothing. */
export function percentOf(text: string | null | undefined): number | null {
  const m = text?.match(/(\d{1,3}(?:\.\d+)?)\s?%/);
  return m ? Number(m[1]) / 100 : null;
}

/** "Step 2 of 3 · …" → 2; null for lines without a step. */
export function stepOf(phase: string): number | null {
  const m = phase.match(/Step (\d+)/i);
  return m ? Number(m[1]) : null;
}

/** Consecutive duplicates removed: the narration as a viewer reads it. */
export function distinct<T>(values: readonly T[]): T[] {
  return values.filter((value, i) => i === 0 || value !== values[i - 1]);
}

/** CLS as Chromium's cumulative sum (every shift not right after input), up to `until` (page ms). */
export function cumulativeShift(shifts: readonly Shift[], until = Infinity): number {
  return shifts.filter((s) => !s.hadRecentInput && s.t <= until).reduce((sum, s) => sum + s.value, 0);
}

/**
 * A page function as an expression to evaluate: its source called at once, with a no-op `__name`
 * (esbuild's keepNames, used by tsx, wraps named inner functions in calls to it, which the page
 * does not have).
 */
export function inPage(fn: () => unknown): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(); })()`;
}
