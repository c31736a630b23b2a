// Waterfall render: the UI built from the current source, one 10,000-span trace (20
// services, a realistic RPC tree up to 8 spans deep) sent to an in-process Plexus over
// OTLP/HTTP, then /traces/<id> opened in headless chromium. Timed per repetition: from
// navigation start to the waterfall's first rows painted with the critical path (the
// page's `data-ready-ms`, its performance.now() after that paint), with the /graphql
// request's share; then a 2 s programmatic scroll through every row, frame by frame.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startTestPlexus, postOtlpJson } from '../test/harness.ts';
import { otlpJson, type TestSpan } from '../test/spans.ts';
import { requireChromium, launchChromium } from '../test/browser/chromium.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { mulberry32 } from '../cli/src/demo/prng.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface WaterfallBenchOptions {
  spans: number;
  reps: number;
  tmpRoot: string;
  log: (line: string) => void;
}

/** One repetition in the browser. */
export interface WaterfallRep {
  /** Navigation start → first rows with the critical path painted. */
  readyMs: number;
  /** Navigation start → the trace's /graphql response fully received. */
  apiDoneMs: number;
  /** The /graphql request alone (request start → response end). */
  apiMs: number;
  /** Rows in the DOM when ready (the virtualized slice). */
  domRows: number;
}

/** Frames during the programmatic scroll. */
export interface ScrollFigures {
  frames: number;
  meanFrameMs: number;
  p95FrameMs: number;
  worstFrameMs: number;
  /** Frames longer than 50 ms (a visible hitch). */
  longFrames: number;
}

export interface WaterfallBenchResult {
  spans: number;
  services: number;
  maxDepth: number;
  traceDurationMs: number;
  criticalPathSegments: number;
  buildSeconds: number;
  sendSeconds: number;
  payloadBytes: number;
  reps: WaterfallRep[];
  ready: LatencySummary;
  scroll: ScrollFigures[];
  /** What the page showed, checked against the trace: rows = spans, segments drawn = segments of the drawn rows. */
  check: string;
  ok: boolean;
}

const SERVICES = [
  'edge-gateway', 'web-bff', 'mobile-bff', 'auth', 'accounts', 'catalog', 'search', 'pricing', 'promotions', 'inventory',
  'cart', 'checkout', 'payments', 'fraud', 'ledger', 'shipping', 'notifications', 'recommendations', 'reviews', 'media',
];
const DATABASES = ['postgresql', 'redis', 'mongodb'];
const MAX_DEPTH = 7; // 0-based: 8 levels of spans.
/** How long the programmatic scroll through every row lasts (bench/report.ts says 2 s). */
const SCROLL_SECONDS = 2;

interface GenNode {
  span: TestSpan;
  depth: number;
  children: GenNode[];
  /** Own time before the first and after the last child, ms. */
  pre: number;
  post: number;
  /** Runs alongside the previous sibling instead of after it. */
  parallel: boolean;
}

/**
 * One trace of exactly `count` spans: an entry SERVER span at the gateway; SERVER and
 * INTERNAL spans grow children (an RPC is a CLIENT span with the callee's SERVER span under
 * it; database calls are CLIENT leaves); times are laid out bottom-up, siblings mostly in
 * sequence, some in parallel.
 */
export function generateTrace(count: number, startMs: number, seed = 11): { spans: TestSpan[]; maxDepth: number; durationMs: number } {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const hex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');
  const traceId = hex(16);
  let n = 0;
  const make = (service: string, name: string, kind: TestSpan['kind'], depth: number, parent: GenNode | null, attributes: Record<string, string | number>): GenNode => {
    n++;
    const node: GenNode = {
      span: { service, name, kind, traceId, spanId: hex(8), startMs: 0, durationMs: 0, attributes, ...(parent ? { parentSpanId: parent.span.spanId } : {}), ...(rand() < 0.01 ? { error: true } : {}) },
      depth, children: [], pre: 0.05 + rand() * 0.4, post: 0.02 + rand() * 0.2, parallel: rand() < 0.35,
    };
    parent?.children.push(node);
    return node;
  };
  const root = make('edge-gateway', 'POST /batch/reprice', 'SERVER', 0, null, { 'http.request.method': 'POST', 'http.route': '/batch/reprice', 'http.response.status_code': 200 });
  const growable: GenNode[] = [root];
  while (n < count) {
    const p = pick(growable);
    const left = count - n;
    const r = rand();
    if (r < 0.5 && left >= 2 && p.depth + 2 <= MAX_DEPTH) {
      const callee = pick(SERVICES.filter((s) => s !== p.span.service));
      const route = `/${callee}/v1/${pick(['items', 'lookup', 'quote', 'check', 'batch'])}`;
      const client = make(p.span.service, `POST ${route}`, 'CLIENT', p.depth + 1, p, { 'http.request.method': 'POST', 'server.address': callee, 'url.path': route });
      const server = make(callee, `POST ${route}`, 'SERVER', p.depth + 2, client, { 'http.request.method': 'POST', 'http.route': route, 'http.response.status_code': 200 });
      if (server.depth < MAX_DEPTH) growable.push(server);
    } else if (r < 0.8 || p.depth + 1 > MAX_DEPTH - 1) {
      const db = pick(DATABASES);
      make(p.span.service, `${db === 'redis' ? 'GET' : 'SELECT'} ${p.span.service}`, 'CLIENT', p.depth + 1, p, { 'db.system': db, 'db.operation.name': db === 'redis' ? 'GET' : 'SELECT' });
    } else {
      const internal = make(p.span.service, pick(['validate', 'transform', 'serialize', 'compute-price', 'merge']), 'INTERNAL', p.depth + 1, p, {});
      if (internal.depth < MAX_DEPTH - 1) growable.push(internal);
    }
  }
  // Durations bottom-up (children are laid out relative to their parent), then starts top-down.
  const offsets = new Map<GenNode, number>();
  const order: GenNode[] = [];
  const stack = [root];
  while (stack.length) {
    const x = stack.pop()!;
    order.push(x);
    stack.push(...x.children);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const x = order[k]!;
    if (x.children.length === 0) {
      x.span.durationMs = x.span.kind === 'CLIENT' ? 0.3 + rand() * 3 : 0.1 + rand() * 0.8;
      continue;
    }
    let cursor = x.pre;
    let prevStart = x.pre;
    let end = x.pre;
    for (const c of x.children) {
      const at = c.parallel ? prevStart : cursor;
      // An RPC's server half starts a little after its client half.
      const start = x.span.kind === 'CLIENT' ? 0.05 + rand() * 0.1 : at;
      offsets.set(c, start);
      prevStart = start;
      cursor = Math.max(cursor, start + c.span.durationMs);
      end = Math.max(end, start + c.span.durationMs);
    }
    x.span.durationMs = end + x.post;
  }
  root.span.startMs = startMs;
  for (const x of order) for (const c of x.children) c.span.startMs = x.span.startMs + offsets.get(c)!;
  return { spans: order.map((x) => x.span), maxDepth: Math.max(...order.map((x) => x.depth)), durationMs: root.span.durationMs };
}

// The page-side measurements, run in the browser (kept as plain JavaScript strings' worth of code).
function readyFigures(): WaterfallRep {
  const w = document.querySelector('[data-testid="waterfall"]')!;
  const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.endsWith('/graphql') && e.initiatorType === 'fetch');
  // The trace query is the one whose response is the largest.
  const trace = api.reduce<PerformanceResourceTiming | undefined>((a, b) => (!a || b.encodedBodySize > a.encodedBodySize ? b : a), undefined);
  return {
    readyMs: Number(w.getAttribute('data-ready-ms')),
    apiDoneMs: trace ? trace.responseEnd : NaN,
    apiMs: trace ? trace.responseEnd - trace.requestStart : NaN,
    domRows: document.querySelectorAll('[data-testid="span-row"]').length,
  };
}

// Scrolls through every row over `seconds`; the gaps between animation frames, ms.
async function scrollThrough(seconds: number): Promise<number[]> {
  const body = document.querySelector('[data-testid="waterfall-body"]') as HTMLElement;
  const total = body.scrollHeight - body.clientHeight;
  const frames: number[] = [];
  await new Promise<void>((resolve) => {
    let t0 = -1;
    let last = -1;
    const step = (now: number) => {
      if (t0 < 0) t0 = now;
      else frames.push(now - last);
      last = now;
      const f = Math.min(1, (now - t0) / (seconds * 1000));
      body.scrollTop = f * total;
      if (f < 1) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  return frames;
}

/** The rows drawn and their critical-path segments, for the answer check. */
function drawnRows(): { spanIds: string[]; segments: number } {
  const rows = [...document.querySelectorAll('[data-testid="span-row"]')];
  return { spanIds: rows.map((r) => r.getAttribute('data-span-id')!), segments: document.querySelectorAll('[data-testid="cp-segment"]').length };
}

/** Runs the waterfall phase. */
export async function runWaterfallBench(o: WaterfallBenchOptions): Promise<WaterfallBenchResult> {
  requireChromium();
  let t = performance.now();
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'ui'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`UI build failed: ${(build.stderr || build.stdout).split('\n').slice(-5).join(' ')}`);
  const buildSeconds = (performance.now() - t) / 1000;
  o.log(`built the UI in ${buildSeconds.toFixed(1)} s`);

  const px = await startTestPlexus({ PLEXUS_DATA_DIR: mkdtempSync(join(o.tmpRoot, 'waterfall-data-')) });
  let browser: Browser | undefined;
  try {
    const gen = generateTrace(o.spans, Date.now() - 60_000);
    const traceId = gen.spans[0]!.traceId;
    const body = otlpJson(gen.spans);
    const payloadBytes = Buffer.byteLength(JSON.stringify(body));
    t = performance.now();
    const res = await postOtlpJson(px.otlpUrl, body);
    if (res.status !== 200) throw new Error(`OTLP/HTTP answered ${res.status}: ${JSON.stringify(res.body)}`);
    await px.recompute();
    const sendSeconds = (performance.now() - t) / 1000;
    const services = new Set(gen.spans.map((s) => s.service)).size;
    o.log(`sent one trace of ${gen.spans.length} spans (${services} services, ${gen.maxDepth + 1} levels, ${gen.durationMs.toFixed(0)} ms, ${(payloadBytes / 2 ** 20).toFixed(1)} MiB OTLP/JSON) in ${sendSeconds.toFixed(1)} s`);
    const d = await px.gql<{ trace: { spanCount: number; criticalPath: Array<{ spanId: string }> } | null }>(
      'query($id: ID!) { trace(id: $id) { spanCount criticalPath { spanId } } }', { id: traceId });
    if (!d.trace) throw new Error(`trace ${traceId} not found after the send`);
    if (d.trace.spanCount !== o.spans) throw new Error(`trace has ${d.trace.spanCount} spans, sent ${o.spans}`);
    const segmentsBySpan = new Map<string, number>();
    for (const c of d.trace.criticalPath) segmentsBySpan.set(c.spanId, (segmentsBySpan.get(c.spanId) ?? 0) + 1);

    browser = await launchChromium();
    const reps: WaterfallRep[] = [];
    const scroll: ScrollFigures[] = [];
    const problems: string[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      // A fresh context each time: nothing cached, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      await page.goto(`${px.url}/traces/${traceId}`, { waitUntil: 'commit' });
      await page.waitForSelector('[data-testid="waterfall"][data-ready]', { timeout: 60_000 });
      const r = await page.evaluate(readyFigures);
      reps.push(r);
      const rows = Number(await page.getAttribute('[data-testid="waterfall"]', 'data-rows'));
      if (rows !== o.spans) problems.push(`rep ${rep + 1}: ${rows} rows for ${o.spans} spans`);
      const drawn = await page.evaluate(drawnRows);
      const expected = drawn.spanIds.reduce((sum, id) => sum + (segmentsBySpan.get(id) ?? 0), 0);
      if (drawn.segments !== expected) problems.push(`rep ${rep + 1}: ${drawn.segments} critical-path segments drawn, ${expected} expected for the drawn rows`);
      const gaps = await page.evaluate(scrollThrough, SCROLL_SECONDS);
      const frames = summarize(gaps);
      scroll.push({
        frames: gaps.length, meanFrameMs: frames.mean, p95FrameMs: frames.p95, worstFrameMs: frames.max,
        longFrames: gaps.filter((f) => f > 50).length,
      });
      o.log(`  rep ${rep + 1}: ready ${r.readyMs.toFixed(0)} ms (trace API done at ${r.apiDoneMs.toFixed(0)} ms, request ${r.apiMs.toFixed(0)} ms), ${r.domRows} rows in the DOM; scroll: ${gaps.length} frames, mean ${frames.mean.toFixed(1)} ms, worst ${frames.max.toFixed(1)} ms`);
      await context.close();
    }
    return {
      spans: o.spans, services, maxDepth: gen.maxDepth, traceDurationMs: gen.durationMs, criticalPathSegments: d.trace.criticalPath.length,
      buildSeconds, sendSeconds, payloadBytes, reps, ready: summarize(reps.map((r) => r.readyMs)), scroll,
      check: problems.length ? problems.join('; ') : `${o.spans} rows; critical-path segments drawn = those of the drawn rows`,
      ok: problems.length === 0,
    };
  } finally {
    await browser?.close();
    await px.close();
  }
}
