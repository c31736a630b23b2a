// The package ships no types. Only its shape for one untyped sample line is
// declared: Plexus hands it single lines (see exposition.ts for why).
declare module 'parse-prometheus-text-format' {
  /** One sample of a family: the value and timestamp as written in the text. */
  export interface PrometheusTextSample {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }
  /** One metric family. */
  export interface PrometheusTextFamily {
    name: string;
    help: string;
    type: string;
    metrics: PrometheusTextSample[];
  }
  /** Parses exposition text; throws an `InvalidLineError` on a malformed line. */
  export default function parsePrometheusTextFormat(text: string): PrometheusTextFamily[];
}
