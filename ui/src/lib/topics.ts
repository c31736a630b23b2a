// Topics (query-api/src/schema/topics.graphql): page paths, table sorting, lag and trace-id
// helpers, chart columns. Pure functions, run under `node --test`.
//   /topics?q=ord&sort=-messages
//   /topics/orders?trace=4bf92f3577b34da6a3ce929d0e0e4736
import type { ConsumerGroupLag, LagPoint, TopicPoint, TopicSummary } from './api.ts';
import type { Column } from './table.ts';
import { formatCount } from './format.ts';
import { lagIsHigh } from './thresholds.ts';

/** `/topics/<name>`; topic names may hold `.` and `/`-free punctuation, all percent-encoded. */
export function topicPath(name: string): string {
  return `/topics/${encodeURIComponent(name)}`;
}

/** The topic name of a `/topics/<name>` path; null when the path is not a topic page. */
export function parseTopicPath(pathname: string): string | null {
  const m = /^\/topics\/([^/]+)\/*$/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1] ?? '') || null;
  } catch {
    return null;
  }
}

/** Columns of the topics table; the keys are the `sort` parameter's values. */
export const TOPIC_COLUMNS: Column<TopicSummary>[] = [
  { key: 'name', label: 'Topic', value: (t) => t.name },
  { key: 'rate', label: 'Messages/s', numeric: true, value: (t) => t.messageRate, title: 'Messages per second over the window' },
  { key: 'messages', label: 'Messages', numeric: true, value: (t) => t.messages, title: 'Messages written in the window' },
  { key: 'producers', label: 'Producers', value: (t) => sortedNames(t.producers).join(' '), title: 'Services and event sources that write to it' },
  { key: 'consumers', label: 'Consumers', value: (t) => sortedNames(t.consumers).join(' '), title: 'Services that read from it' },
];

/** Whether a topic matches the filter box: its name, producers or consumers. */
export function topicText(t: TopicSummary): string {
  return [t.name, ...t.producers, ...t.consumers].join(' ');
}

/** Names sorted alphabetically (numeric aware), duplicates dropped. */
export function sortedNames(names: readonly string[]): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
}

/** Consumer groups with the most lag first, ties by group id. */
export function sortGroups<G extends Pick<ConsumerGroupLag, 'groupId' | 'lag'>>(groups: readonly G[]): G[] {
  return [...groups].sort((a, b) => b.lag - a.lag || a.groupId.localeCompare(b.groupId));
}

/** `1.2k messages`, `0 messages`, `1 message`; an em dash when unknown. */
export function formatLag(lag: number | null | undefined): string {
  const n = formatCount(lag);
  if (n === '—') return n;
  return `${n} ${lag === 1 ? 'message' : 'messages'}`;
}

/** Level of a consumer group's (or edge's) lag: `warn` above the threshold, else `ok`. */
export function lagLevel(lag: number | null | undefined, threshold?: number): 'ok' | 'warn' {
  return lagIsHigh(lag, threshold) ? 'warn' : 'ok';
}

export type TraceIdInput = { ok: true; traceId: string | null } | { ok: false; why: string };

/** Reads the trace-id search box: empty is no filter; otherwise 32 hex digits (W3C trace id), lower-cased. */
export function parseTraceIdInput(raw: string | undefined): TraceIdInput {
  const s = (raw ?? '').trim();
  if (!s) return { ok: true, traceId: null };
  if (!/^[0-9a-fA-F]{32}$/.test(s)) return { ok: false, why: `a trace id is 32 hex digits; “${s}” is not` };
  if (/^0+$/.test(s)) return { ok: false, why: 'the all-zero trace id is invalid' };
  return { ok: true, traceId: s.toLowerCase() };
}

/** uPlot columns (seconds, values) of a topic's throughput. */
export function throughputColumns(points: readonly TopicPoint[]): [number[], (number | null)[]] {
  return [points.map((p) => Date.parse(p.time) / 1000), points.map((p) => p.messages)];
}

/** uPlot columns (seconds, values) of a consumer group's lag over time. */
export function lagColumns(points: readonly LagPoint[]): [number[], (number | null)[]] {
  return [points.map((p) => Date.parse(p.time) / 1000), points.map((p) => p.lag)];
}
