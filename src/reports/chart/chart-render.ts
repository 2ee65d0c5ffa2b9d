import { createHash } from 'node:crypto';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
// the CommonJS build: server-side rendering needs no DOM
import * as echarts from 'echarts';
import { OUTCOME_GROUP_LABELS, OUTCOMES, isOutcomeCode, type OutcomeGroup } from '../../statute/outcomes';

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 560;
export const CHART_FONT_FAMILY = 'Noto Sans SC';

/** What the chart (图解) shows: the year's outcomes by group of table 三 and the monthly received and concluded counts. */
export interface ChartData {
  title: string;
  /** the outcome groups （一）…（六）, in the table's order */
  outcomes: { group: OutcomeGroup; label: string; count: number }[];
  /** index 0 = January */
  received: number[];
  concluded: number[];
}

const GROUPS: OutcomeGroup[] = ['granted', 'partial', 'withheld', 'unavailable', 'rejected', 'other'];

/** Counts per (kind, month, outcome) into the chart's series; an unknown outcome code is an error, not a silent drop. */
export function chartData(title: string, rows: { kind: 'received' | 'concluded'; month: number; outcome: string | null; n: number }[]): ChartData {
  const byGroup = new Map<OutcomeGroup, number>(GROUPS.map((g) => [g, 0]));
  const received = Array<number>(12).fill(0);
  const concluded = Array<number>(12).fill(0);
  for (const r of rows) {
    if (r.kind === 'received') {
      received[r.month - 1] += r.n;
      continue;
    }
    concluded[r.month - 1] += r.n;
    if (!isOutcomeCode(r.outcome)) throw new Error(`a concluded case without a known outcome: ${String(r.outcome)}`);
    const g = OUTCOMES[r.outcome].group;
    byGroup.set(g, byGroup.get(g)! + r.n);
  }
  return { title, outcomes: GROUPS.map((g) => ({ group: g, label: OUTCOME_GROUP_LABELS[g], count: byGroup.get(g)! })), received, concluded };
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);

/** The chart as SVG: ECharts' server-side SVG renderer (no DOM, no browser). */
export function renderChartSvg(d: ChartData): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: { text: d.title, left: 'center', top: 12, textStyle: { fontSize: 20, fontFamily: CHART_FONT_FAMILY } },
      legend: { top: 48, data: ['收到申请', '办结', ...d.outcomes.map((o) => o.label)], textStyle: { fontFamily: CHART_FONT_FAMILY } },
      grid: { left: 60, right: 420, top: 110, bottom: 50 },
      xAxis: { type: 'category', data: MONTHS, axisLabel: { fontFamily: CHART_FONT_FAMILY } },
      yAxis: { type: 'value', name: '件', minInterval: 1 },
      series: [
        { name: '收到申请', type: 'bar', data: d.received, label: { show: true, position: 'top' } },
        { name: '办结', type: 'bar', data: d.concluded, label: { show: true, position: 'top' } },
        {
          name: '办理结果',
          type: 'pie',
          center: [CHART_WIDTH - 200, 330],
          radius: [50, 130],
          label: { formatter: '{b}\n{c}件', fontFamily: CHART_FONT_FAMILY },
          data: d.outcomes.map((o) => ({ name: o.label, value: o.count })),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

let fontPath: string | null = null;
/** Noto Sans SC, TrueType (resolved, not required: the package is an Expo asset module). */
export function chartFontPath(): string {
  return (fontPath ??= require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'));
}

/** The last few PNGs by their SVG: resvg reads the 10 MB CJK font on every render (about a second), a chart asked again is not redrawn. */
const PNG_CACHE_SIZE = 16;
const pngCache = new Map<string, Buffer>();
/** the renders asked for and not done, by their SVG: a chart asked again meanwhile waits for the same one */
const rendering = new Map<string, Promise<Buffer>>();
/** the end of the last render queued: one at a time, so that charts never hold more than one of libuv's threads */
let queueTail: Promise<unknown> = Promise.resolve();

/**
 * The SVG rasterised by resvg with the CJK font loaded (no system fonts), at the chart's size, off the event loop:
 * resvg's async render runs on libuv's thread pool, one chart at a time. (Rendered on the event loop, a chart held
 * every other request for its whole render: 19 s on a loaded machine in the long fuzz run.)
 */
export function renderChartPng(svg: string): Promise<Buffer> {
  const key = createHash('sha256').update(svg).digest('hex');
  const hit = pngCache.get(key);
  if (hit) return Promise.resolve(hit);
  const running = rendering.get(key);
  if (running) return running;
  const options: ResvgRenderOptions = {
    fitTo: { mode: 'width', value: CHART_WIDTH },
    background: '#ffffff',
    font: { fontFiles: [chartFontPath()], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
  };
  const job = queueTail
    .then(() => renderAsync(svg, options))
    .then((image) => {
      const png = Buffer.from(image.asPng());
      if (pngCache.size >= PNG_CACHE_SIZE) pngCache.delete(pngCache.keys().next().value!);
      pngCache.set(key, png);
      return png;
    })
    .finally(() => rendering.delete(key));
  rendering.set(key, job);
  queueTail = job.catch(() => undefined);
  return job;
}
