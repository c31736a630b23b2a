// uPlot option builders for the service page. Units are on the axes (ms, req/s, %), the three
// latency percentiles share one chart, and p50/p95/p99 differ by dash pattern as well as colour.
import type uPlot from 'uplot';
import { formatCount, formatMs, formatPercent, formatRateValue } from './format.ts';

export const SYNC_KEY = 'plexus-service';

export interface Theme {
  text: string;
  muted: string;
  grid: string;
  c1: string;
  c2: string;
  c3: string;
  err: string;
}

type Opts = Omit<uPlot.Options, 'width' | 'height'>;

/** Called with the selected window in epoch milliseconds when the user drags across a chart. */
export type OnSelect = (fromMs: number, toMs: number) => void;

function xAxis(t: Theme): uPlot.Axis {
  return {
    stroke: t.muted,
    grid: { stroke: t.grid, width: 1 },
    ticks: { stroke: t.grid, width: 1, size: 4 },
    font: '11px system-ui, sans-serif',
  };
}

function yAxis(t: Theme, scale: string, fmt: (v: number) => string, side: 1 | 3 = 3, grid = true): uPlot.Axis {
  return {
    scale,
    side,
    stroke: t.muted,
    grid: grid ? { stroke: t.grid, width: 1 } : { show: false },
    ticks: { show: false },
    size: 64,
    font: '11px system-ui, sans-serif',
    values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : fmt(v))),
  };
}

function selectHook(onselect: OnSelect | undefined): ((u: uPlot) => void)[] {
  return [
    (u: uPlot) => {
      const { left, width } = u.select;
      if (onselect && width > 4) {
        const a = u.posToVal(left, 'x');
        const b = u.posToVal(left + width, 'x');
        if (Number.isFinite(a) && Number.isFinite(b)) onselect(a * 1000, b * 1000);
      }
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    },
  ];
}

function cursor(): uPlot.Cursor {
  return {
    sync: { key: SYNC_KEY, setSeries: false },
    drag: { x: true, y: false, setScale: false },
    points: { size: 6 },
  };
}

/** `#rrggbb` plus an alpha channel; other colour syntaxes are returned unchanged. */
export function alpha(hex: string, a: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const byte = Math.round(Math.max(0, Math.min(1, a)) * 255)
    .toString(16)
    .padStart(2, '0');
  return hex + byte;
}

/** The frame every time chart shares: synced crosshair, drag to select a range, live legend, time on x. */
function timeChart(onselect: OnSelect | undefined, scales: uPlot.Scales, axes: uPlot.Axis[], series: uPlot.Series[]): Opts {
  return {
    cursor: cursor(),
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    legend: { live: true },
    scales: { x: { time: true }, ...scales },
    axes,
    series,
    hooks: { setSelect: selectHook(onselect) },
  };
}

const fromZero: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1];

export function latencyOptions(t: Theme, onselect?: OnSelect): Opts {
  const line = (label: string, stroke: string, dash?: number[]): uPlot.Series => ({
    label,
    scale: 'ms',
    stroke,
    width: 1.6,
    dash,
    spanGaps: false,
    points: { show: false },
    value: (_u, v) => formatMs(v),
  });
  return timeChart(onselect, { ms: { range: fromZero } }, [xAxis(t), yAxis(t, 'ms', (v) => formatMs(v))], [{}, line('p50', t.c1), line('p95', t.c2, [6, 3]), line('p99', t.c3, [2, 3])]);
}

export function trafficOptions(t: Theme, onselect?: OnSelect): Opts {
  const scales = { rps: { range: fromZero }, pct: { range: ((_u, _min, max) => [0, Math.max(1, max * 1.1)]) as uPlot.Scale.Range } };
  const axes = [xAxis(t), yAxis(t, 'rps', (v) => `${formatRateValue(v)}/s`), yAxis(t, 'pct', (v) => `${+v.toFixed(2)}%`, 1, false)];
  return timeChart(onselect, scales, axes, [
      {},
      {
        label: 'Requests',
        scale: 'rps',
        stroke: t.c1,
        fill: alpha(t.c1, 0.13),
        width: 1.6,
        points: { show: false },
        value: (_u, v) => (v === null ? '—' : `${formatRateValue(v)} req/s`),
      },
      {
        label: 'Errors',
        scale: 'pct',
        stroke: t.err,
        width: 1.6,
        dash: [5, 3],
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => (v === null ? '—' : formatPercent(v / 100)),
      },
    ]);
}

// API pages (entity page of an API): counts per step rather than rates, since an
// API's traffic is often sparse; p95 gets its own chart so its scale is readable.

/** Calls and errors per step of an API, as counts. */
export function apiCallsOptions(t: Theme, stepLabel: string, onselect?: OnSelect): Opts {
  const count = (v: number | null) => (v === null ? '—' : formatCount(v));
  return timeChart(onselect, { n: { range: fromZero } }, [xAxis(t), yAxis(t, 'n', (v) => formatCount(v))], [
      {},
      { label: `Calls ${stepLabel}`, scale: 'n', stroke: t.c1, fill: alpha(t.c1, 0.13), width: 1.6, points: { show: false }, value: (_u, v) => count(v) },
      { label: `Errors ${stepLabel}`, scale: 'n', stroke: t.err, fill: alpha(t.err, 0.12), width: 1.6, dash: [5, 3], points: { show: false }, value: (_u, v) => count(v) },
    ]);
}

/** p95 latency of an API's calls per step; gaps where there were no calls. */
export function apiP95Options(t: Theme, onselect?: OnSelect): Opts {
  return timeChart(onselect, { ms: { range: fromZero } }, [xAxis(t), yAxis(t, 'ms', (v) => formatMs(v))], [{}, { label: 'p95', scale: 'ms', stroke: t.c2, width: 1.6, spanGaps: false, points: { show: false }, value: (_u, v) => formatMs(v) }]);
}

/**
 * Distinct consumers per step (a small chart beside the reuse numbers). `paths` is uPlot's
 * stepped builder, passed in so this module keeps uPlot a type-only import.
 */
export function consumersOptions(t: Theme, paths?: uPlot.Series.PathBuilder, onselect?: OnSelect): Opts {
  return timeChart(onselect, { c: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] } }, [xAxis(t), { ...yAxis(t, 'c', (v) => (Number.isInteger(v) ? String(v) : '')), size: 40 }], [
      {},
      {
        label: 'Consumers',
        scale: 'c',
        stroke: t.c3,
        fill: alpha(t.c3, 0.12),
        width: 1.6,
        points: { show: false },
        paths,
        value: (_u, v) => (v === null ? '—' : String(v)),
      },
    ]);
}

// Topic pages: messages written per step, and a consumer group's total lag over time.

/** Messages written to a topic per step, as counts. */
export function topicThroughputOptions(t: Theme, stepLabel: string, onselect?: OnSelect): Opts {
  return timeChart(onselect, { n: { range: fromZero } }, [xAxis(t), yAxis(t, 'n', (v) => formatCount(v))], [
    {},
    { label: `Messages ${stepLabel}`, scale: 'n', stroke: t.c1, fill: alpha(t.c1, 0.13), width: 1.6, points: { show: false }, value: (_u, v) => (v === null ? '—' : formatCount(v)) },
  ]);
}

/** A consumer group's total lag (messages behind) over time; gaps where Kafka was not polled. */
export function topicLagOptions(t: Theme, onselect?: OnSelect): Opts {
  return timeChart(onselect, { n: { range: fromZero } }, [xAxis(t), yAxis(t, 'n', (v) => formatCount(v))], [
    {},
    { label: 'Lag', scale: 'n', stroke: t.c2, fill: alpha(t.c2, 0.12), width: 1.6, spanGaps: false, points: { show: false }, value: (_u, v) => (v === null ? '—' : `${formatCount(v)} messages`) },
  ]);
}
