import parsePrometheusTextFormat, { type PrometheusTextSample } from 'parse-prometheus-text-format';
import { MESH_METRICS, type MeshReadOptions, type MeshReject, type MeshSample } from './mesh-sample.ts';
import { seriesReader } from './read-series.ts';

/** Samples read from one scrape, lines that could not be used, and lines deliberately not counted (each call is counted once). */
export interface MeshScrape {
  samples: MeshSample[];
  rejects: MeshReject[];
  skipped: Array<{ line: number; reason: string }>;
}

const ALL_NAMES = [...Object.keys(MESH_METRICS.istio), ...Object.keys(MESH_METRICS.linkerd)];

// The first token of a sample line, when it is one of the names we read.
function wantedName(line: string, names: string[]): string | undefined {
  for (const n of names) {
    if (!line.startsWith(n)) continue;
    const next = line.charAt(n.length);
    if (next === '{' || next === ' ' || next === '\t') return n;
  }
  return undefined;
}

/**
 * Picks the Istio and Linkerd request series out of Prometheus exposition text.
 *
 * Lines are parsed one at a time by parse-prometheus-text-format: its sample
 * line parser is a port of the Prometheus Python client's (label escapes,
 * `+Inf`/`NaN`, timestamps), while its grouping of histogram families loses the
 * labels of every labelled histogram, so no family grouping is asked of it.
 * One line at a time also keeps a bad line from costing the whole scrape, gives
 * rejects their line number, and lets the envoy_* bulk of a sidecar scrape be
 * skipped by name without parsing.
 */
export function meshSamples(text: string, o: MeshReadOptions = {}): MeshScrape {
  const names = o.mesh ? Object.keys(MESH_METRICS[o.mesh]) : ALL_NAMES;
  const read = seriesReader(o);
  const out: MeshScrape = { samples: [], rejects: [], skipped: [] };
  const lines = text.split('\n');
  let candidates = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const name = raw && raw.charAt(0) !== '#' ? wantedName(raw, names) : undefined;
    if (!name) continue;
    candidates++;
    const line = i + 1;
    let parsed: PrometheusTextSample | undefined;
    try {
      // The trailing newline makes the library close the family of the last line.
      parsed = parsePrometheusTextFormat(`${raw}\n`)[0]?.metrics[0];
    } catch (err) {
      out.rejects.push({ line, reason: `malformed sample line (${(err as Error).message.slice(0, 160)})` });
      continue;
    }
    if (!parsed) {
      out.rejects.push({ line, reason: 'not a sample line' });
      continue;
    }
    const r = read(name, parsed.labels ?? {}, parsed.value);
    if (!r) continue;
    if ('sample' in r) out.samples.push({ ...r.sample, line });
    else if ('skip' in r) out.skipped.push({ line, reason: r.skip });
    else out.rejects.push({ line, reason: r.reject });
  }
  if (candidates === 0) {
    const wanted = o.mesh === 'istio' ? 'istio_requests_total' : o.mesh === 'linkerd' ? 'response_total' : 'istio_requests_total or response_total';
    out.rejects.push({ reason: `no ${wanted} series: not a ${o.mesh ?? 'mesh'} proxy's metrics, or no requests through it yet` });
  }
  return out;
}
