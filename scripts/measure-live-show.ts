/**
 * Measures the live show of issue 18 on a served build, as a first-time visitor with Chromium:
 * bytes transferred before Run (page, workers and service worker), the timeline of the default run
 * (Run → first change → first "so far" → first clear gap → final → the "why" stage done), the
 * narration, cumulative layout shift, the verdict's numbers over time, the chart's last points
 * against the verdict and the stages, and (presenter mode) the first screen's text sizes and
 * contrasts. Saves screenshots and a JSON record.
 *
 *   npx tsx scripts/measure-live-show.ts --url http://127.0.0.1:4321/ --width 1366 --height 768 [--present]
 *     [--query 'preset=tiny'] [--shots /tmp/shots] [--out /tmp/live-show.json] [--timeout 900]
 *   npx tsx scripts/measure-live-show.ts --dist dist …   (serves the build itself, see below)
 *
 * Bytes: with --url, what Chromium reports per response (encodedDataLength, headers included), from
 * the page and the service worker — Playwright sees no request of a dedicated worker's own script,
 * so that count falls short by the worker bundles. With --dist the script serves the folder itself
 * (support.ts's serveStatic: no compression, as a plain static host) and counts every body byte
 * the server sent, whoever asked: that is the number to quote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as probe from '../test/browser/liveShowProbe';
import type { Recording } from '../test/browser/liveShowProbe';
// Before playwright-core loads: report the service worker's own requests (its precache) too.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
const { chromium } = await import('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS, serveStatic } = await import('../test/browser/support');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4321/' },
    width: { type: 'string', default: '1366' },
    height: { type: 'string', default: '768' },
    present: { type: 'boolean', default: false },
    query: { type: 'string', default: '' },
    shots: { type: 'string' },
    out: { type: 'string' },
    timeout: { type: 'string', default: '900' },
    dist: { type: 'string' },
  },
});
const viewport = { width: Number(args.width), height: Number(args.height) };
const tag = `${viewport.width}x${viewport.height}${args.present ? '-present' : ''}`;
const shots = args.shots ?? `/tmp/live-show-shots`;
const outFile = args.out ?? `/tmp/live-show-${tag}.json`;
const timeoutMs = Number(args.timeout) * 1000;
mkdirSync(shots, { recursive: true });
const server = args.dist ? await serveStatic(args.dist) : null;
const address = new URL(server?.url ?? args.url);
for (const pair of new URLSearchParams(args.query)) address.searchParams.append(...pair);
if (args.present) address.searchParams.set('present', '');

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const context = await browser.newContext({ viewport });
await context.addInitScript({ content: probe.inPage(probe.installRecorder) });
const page = await context.newPage();

// Bytes: every response Chromium's network layer finished, from the page, its workers and the
// service worker. Responses the service worker answered are counted where it fetched them.
interface Transfer {
  url: string;
  bytes: number;
  from: string;
  afterRun: boolean;
}
const transfers: Transfer[] = [];
let runPressed = false;
context.on('requestfinished', (request) => {
  void (async () => {
    const response = await request.response();
    if (response?.fromServiceWorker()) return;
    const sizes = await request.sizes().catch(() => null);
    const bytes = sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0;
    const from = request.serviceWorker() ? 'service worker' : frameOrWorker(request);
    transfers.push({ url: request.url(), bytes, from, afterRun: runPressed });
  })();
});
function frameOrWorker(request: import('playwright-core').Request): string {
  try {
    request.frame();
    return 'page';
  } catch {
    return 'worker';
  }
}

const nodeStart = performance.now();
const say = (line: string) => console.log(`[${((performance.now() - nodeStart) / 1000).toFixed(1)} s] ${line}`);
const recording = () => page.evaluate(() => window.__liveShow!) as Promise<Recording>;
const status = () => page.getByTestId('hero-verdict').getAttribute('data-status');
const shot = (name: string) => page.screenshot({ path: path.join(shots, `${tag}-${name}.png`) });

say(`open ${address.href}`);
await page.goto(address.href);
await page.waitForFunction(
  () => {
    const run = document.querySelector<HTMLButtonElement>('[data-testid="run"]');
    return (
      run !== null && !run.disabled && /^Ready/.test(document.querySelector('[data-testid="phase"]')?.textContent ?? '')
    );
  },
  null,
  { timeout: 180_000 },
);
say('ready');
// Whatever the page prepares while idle counts as "before Run": wait until the network is quiet.
let quietSince = performance.now();
let seen = transfers.length;
while (performance.now() - quietSince < 3000) {
  await page.waitForTimeout(250);
  if (transfers.length !== seen) [seen, quietSince] = [transfers.length, performance.now()];
}
const beforeRun = transfers.map((t) => ({ ...t }));
const servedBeforeRun = server ? server.requests.map((r) => ({ ...r })) : null;
say(`bytes before Run: ${beforeRun.reduce((s, t) => s + t.bytes, 0)}`);
await page.evaluate(() => window.scrollTo(0, 0));
await shot('before-run');
const auditBefore = args.present ? ((await page.evaluate(probe.inPage(probe.auditTexts))) as probe.TextAudit[]) : [];
// The focus ring, as a keyboard user reaches Run.
let focusRing: ReturnType<typeof probe.focusRingContrast> = null;
for (let i = 0; i < 40; i++) {
  await page.keyboard.press('Tab');
  if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'run')) {
    focusRing = (await page.evaluate(probe.inPage(probe.focusRingContrast))) as typeof focusRing;
    break;
  }
}
await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

runPressed = true;
await page.getByTestId('run').click();
const clickedAt = performance.now();
say('Run pressed');
const taken = new Set<string>();
while (performance.now() - clickedAt < timeoutMs) {
  const now = await status();
  if (!taken.has('5s') && performance.now() - clickedAt >= 5000) {
    taken.add('5s');
    await shot('5s-after-run');
  }
  if (now === 'so-far' && !taken.has('so-far')) {
    taken.add('so-far');
    say('first so far');
    await shot('first-so-far');
  }
  if (now === 'final' && !taken.has('final')) {
    taken.add('final');
    say('final');
    await shot('final');
  }
  const runEnabled = await page.getByTestId('run').isEnabled();
  if (now === 'final' && runEnabled) break;
  await page.waitForTimeout(200);
}
const phaseEnd = (await page.getByTestId('phase').textContent()) ?? '';
say(`run over: ${phaseEnd}`);
const rec = await recording();

// The end: the chart's last points, the verdict, stages 3 and 4.
const end = {
  chartLast: (await page.evaluate(probe.inPage(probe.chartLastPoints))) as Record<string, number>,
  chartData: (await page.evaluate(probe.inPage(probe.chartDataAttributes))) as Record<string, string>,
  verdictSame: await page.getByTestId('verdict-same').textContent(),
  verdictDifferent: await page.getByTestId('verdict-different').textContent(),
  verdictSentence: await page.locator('.verdict-sentence').textContent(),
  stage3: await page.getByTestId('featured-student').textContent(),
  stage4: await page
    .getByTestId('verdict')
    .textContent()
    .catch(() => null),
  resultSame: await page
    .getByTestId('result-student_aux')
    .getAttribute('data-value', { timeout: 2000 })
    .catch(() => null),
  resultDifferent: await page
    .getByTestId('result-cross_aux')
    .getAttribute('data-value', { timeout: 2000 })
    .catch(() => null),
};
const auditAfter = args.present ? ((await page.evaluate(probe.inPage(probe.auditTexts))) as probe.TextAudit[]) : [];
// The switch: the sentence and featured number in the other position.
await page.getByTestId('init-switch').click();
const switched = {
  featured: await page.getByTestId('hero-chart').getAttribute('data-featured'),
  sentence: await page.locator('.verdict-sentence').textContent(),
  stage3: await page.getByTestId('featured-student').textContent(),
};
await page.getByTestId('init-switch').click();
// Phone and tablet, after the run (the layout shift is already recorded).
for (const [name, size] of [
  ['phone', { width: 390, height: 844 }],
  ['tablet', { width: 768, height: 1024 }],
] as const) {
  await page.setViewportSize(size);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, `${tag}-${name}-after-run.png`) });
}
await browser.close();
await server?.close();

// The timeline, in seconds after the click, from the page's own clock.
const click = rec.clickAt ?? 0;
const after = rec.samples.filter((s) => s.t > click);
const seconds = (t: number | undefined) => (t === undefined ? null : Math.round((t - click) / 10) / 100);
// The gap between the two numbers the verdict shows, read from data-value ("at chance" has one too).
const gap = (s: (typeof after)[number]) => {
  const [a, b] = [s.sameValue, s.differentValue];
  return a !== null && b !== null ? Math.abs(a - b) : -1;
};
const chartPoints = (s: (typeof after)[number]) => Object.values(s.points).reduce((n, p) => n + p, 0);
const first = (test: (s: (typeof after)[number]) => boolean) => after.find(test);
const firstChange = after.find((s) => s.t > click + 1);
const timeline = {
  firstChangeAnywhere: seconds(firstChange?.t),
  firstChangeWhat: firstChange && { phase: firstChange.phase, status: firstChange.status, points: firstChange.points },
  firstChartPoint: seconds(first((s) => chartPoints(s) > 0)?.t),
  firstStepShown: seconds(first((s) => /step \d/i.test(s.detail))?.t),
  firstSoFar: seconds(first((s) => s.status === 'so-far')?.t),
  firstClearGap: seconds(first((s) => gap(s) >= 0.15)?.t),
  final: seconds(first((s) => s.status === 'final')?.t),
  whyDone: seconds(first((s) => /^Done/.test(s.phase))?.t),
};
const narration = probe.distinct(after.map((s) => s.phase));
const steps = narration.map(probe.stepOf).filter((n): n is number => n !== null);
const verdicts = probe.distinct(
  after.filter((s) => s.status !== 'waiting').map((s) => `${s.status}: same ${s.same} · different ${s.different}`),
);
const soFarSame = after
  .filter((s) => s.status === 'so-far')
  .map((s) => probe.percentOf(s.same))
  .filter((n): n is number => n !== null);
const finalT = rec.samples.find((s) => s.status === 'final')?.t;
const cls = {
  toFinal: probe.cumulativeShift(rec.shifts, finalT),
  beforeRun: probe.cumulativeShift(rec.shifts, click),
  shifts: rec.shifts.filter((s) => s.t <= (finalT ?? Infinity)),
};
const sum = (list: Transfer[]) => list.reduce((s, t) => s + t.bytes, 0);
const bytes = {
  beforeRun: sum(beforeRun),
  byOrigin: Object.fromEntries(
    ['page', 'worker', 'service worker'].map((from) => [from, sum(beforeRun.filter((t) => t.from === from))]),
  ),
  largest: [...beforeRun]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 12)
    .map((t) => `${t.bytes} ${t.from} ${new URL(t.url).pathname}`),
  afterRun: sum(transfers.filter((t) => t.afterRun)),
  /** With --dist: body bytes the server sent before Run, every request (workers included). */
  servedBeforeRun: servedBeforeRun && servedBeforeRun.reduce((s, r) => s + r.bytes, 0),
  servedLargest:
    servedBeforeRun &&
    [...servedBeforeRun]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 12)
      .map((r) => `${r.bytes} ${r.url}`),
  servedAfterRun:
    server && servedBeforeRun && server.requests.slice(servedBeforeRun.length).reduce((s, r) => s + r.bytes, 0),
};
const small = (list: probe.TextAudit[]) => list.filter((a) => a.fontPx < 22);
const low = (list: probe.TextAudit[]) => list.filter((a) => a.contrast < 4.5 && !a.disabled);
const report = {
  url: address.href,
  viewport,
  present: args.present,
  bytes,
  timeline,
  narration,
  stepsMonotone: steps.every((n, i) => i === 0 || n >= steps[i - 1]!),
  verdicts,
  lowestSoFarSame: soFarSame.length ? Math.min(...soFarSame) : null,
  firstSoFar: first((s) => s.status === 'so-far') ?? null,
  runButtonWidths: probe.distinct(rec.samples.map((s) => String(s.runWidth))),
  cls,
  end,
  switched,
  focusRing,
  audit: args.present
    ? {
        before: { texts: auditBefore.length, under22px: small(auditBefore), under4_5: low(auditBefore) },
        after: { texts: auditAfter.length, under22px: small(auditAfter), under4_5: low(auditAfter) },
        all: auditAfter,
      }
    : null,
  samples: rec.samples.length,
  recording: rec,
};
writeFileSync(outFile, JSON.stringify(report, null, 2));
const { recording: _omit, audit, ...summary } = report;
console.log(
  JSON.stringify(
    {
      ...summary,
      cls: { toFinal: cls.toFinal, beforeRun: cls.beforeRun, shifts: cls.shifts.length },
      audit: audit && {
        before: {
          texts: audit.before.texts,
          under22px: audit.before.under22px.length,
          under4_5: audit.before.under4_5.length,
        },
        after: {
          texts: audit.after.texts,
          under22px: audit.after.under22px.length,
          under4_5: audit.after.under4_5.length,
        },
      },
    },
    null,
    2,
  ),
);
say(`wrote ${outFile} and screenshots in ${shots}`);
