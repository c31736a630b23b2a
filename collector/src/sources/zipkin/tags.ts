// What Zipkin tags mean beyond being attributes: the span status, the
// instrumentation scope, the trace state, and the current semantic-convention
// names Plexus' readers look for (store/src/semconv.ts) next to Zipkin's own.
import type { Attributes, StatusCodeName } from '../../spans/span-record.ts';

/** Tags consumed into span fields; the rest stay attributes as given. */
export interface TagFields {
  attributes: Attributes;
  statusCode: StatusCodeName;
  statusMessage: string;
  /** '' when the tags name no scope. */
  scopeName: string;
  scopeVersion: string;
  traceState: string;
}

// The OpenTelemetry Zipkin exporter writes these; they become fields, not attributes.
const STATUS_CODE = 'otel.status_code';
const STATUS_DESCRIPTION = 'otel.status_description';
const SCOPE_NAME = ['otel.scope.name', 'otel.library.name'];
const SCOPE_VERSION = ['otel.scope.version', 'otel.library.version'];
const TRACE_STATE = 'w3c.tracestate';
const CONSUMED = new Set([STATUS_CODE, STATUS_DESCRIPTION, ...SCOPE_NAME, ...SCOPE_VERSION, TRACE_STATE]);

const STATUS_BY_TAG: Record<string, StatusCodeName> = {
  UNSET: 'Unset', OK: 'Ok', ERROR: 'Error', STATUS_CODE_UNSET: 'Unset', STATUS_CODE_OK: 'Ok', STATUS_CODE_ERROR: 'Error',
};

/** Splits a span's tags into attributes and the fields some tags stand for. */
export function readTags(tags: Attributes): TagFields {
  const get = (key: string) => tags.find(([k]) => k === key)?.[1];
  const code = STATUS_BY_TAG[(get(STATUS_CODE) ?? '').toUpperCase()];
  let statusCode: StatusCodeName = code ?? 'Unset';
  let statusMessage = code ? (get(STATUS_DESCRIPTION) ?? '') : '';
  // Zipkin marks a failed span by the presence of an `error` tag; its value is the message
  // (Brave writes the exception message, possibly empty; some tracers write "true").
  const error = get('error');
  if (error !== undefined && statusCode !== 'Error') {
    statusCode = 'Error';
    statusMessage = error === 'true' ? '' : error;
  }
  const first = (keys: string[]) => keys.map(get).find((v) => v !== undefined) ?? '';
  return {
    // An unrecognised otel.status_code is not a status: keep it visible as an attribute.
    attributes: tags.filter(([k]) => !CONSUMED.has(k) || (k === STATUS_CODE && !code) || (k === STATUS_DESCRIPTION && !code)),
    statusCode,
    statusMessage,
    scopeName: first(SCOPE_NAME),
    scopeVersion: first(SCOPE_VERSION),
    traceState: get(TRACE_STATE) ?? '',
  };
}

/**
 * Current semantic-convention attributes derived from Zipkin's conventional
 * tags, for the ones Plexus' readers do not already accept under the Zipkin
 * name (http.method and http.status_code they do). Only keys the span does not
 * already have are returned.
 */
export function semconvFromTags(attributes: Attributes): Attributes {
  const has = new Map(attributes);
  const out: Attributes = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '' && !has.has(key)) {
      out.push([key, value]);
      has.set(key, value);
    }
  };
  const httpUrl = has.get('http.url');
  add('url.path', has.get('http.path') ?? pathOf(httpUrl));
  add('url.full', httpUrl);
  // Brave's Kafka instrumentation; the topic is what names a TOPIC node on the map.
  const topic = has.get('kafka.topic');
  if (topic) {
    add('messaging.system', 'kafka');
    add('messaging.destination.name', topic);
  }
  return out;
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
