import { consumerOf, type ApiCallRecord, type GatewayFormat } from '../api-call.ts';
import type { GatewayParseOptions, RecordOutcome, RecordParser } from '../format-parser.ts';
import { serviceNamer } from '../../naming.ts';
import { NumberReader, clfTimeMs, isObject, isoTimeMs, preview, text, withoutQuery } from '../fields.ts';
import { fromXRay } from '../trace-id.ts';
import { DEFAULT_AWS_FIELDS, type AwsFieldMapping } from './wire.ts';

/** Why an XML access-log line is rejected. */
export const AWS_XML_REASON = 'XML access-log format; only the JSON format is read (set a JSON access-log format on the stage)';
/** Why a CLF, CSV or other text line is rejected. */
export const AWS_TEXT_REASON = 'not JSON; only the JSON access-log format is read (CLF and CSV do not name their fields)';

type Field = keyof AwsFieldMapping;
const EPOCH = /^\d+(\.\d+)?$/;
type Lookup = { key: string; path: string[] | null };

function compile(mapping: AwsFieldMapping | undefined): Record<Field, Lookup[]> {
  const out = {} as Record<Field, Lookup[]>;
  for (const field of Object.keys(DEFAULT_AWS_FIELDS) as Field[]) {
    const given = mapping?.[field];
    const keys = given === undefined ? DEFAULT_AWS_FIELDS[field] : typeof given === 'string' ? [given] : given;
    out[field] = keys.map((key) => ({ key, path: key.includes('.') ? key.split('.') : null }));
  }
  return out;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== '-';
}

function lookup(record: Record<string, unknown>, lookups: Lookup[]): { key: string; value: unknown } | null {
  for (const { key, path } of lookups) {
    let v: unknown = record[key];
    if (v === undefined && path) {
      v = record;
      for (const part of path) v = isObject(v) ? v[part] : undefined;
    }
    if (isSet(v)) return { key, value: v };
  }
  return null;
}

// `GET /pets/{id}` -> method and template; `$default` has neither.
function splitRouteKey(routeKey: string): { method: string; template: string } {
  const space = routeKey.indexOf(' ');
  if (space < 0) return { method: '', template: '' };
  const method = routeKey.slice(0, space);
  return { method: method === 'ANY' ? '' : method, template: routeKey.slice(space + 1) };
}

/** AWS API Gateway access-log parser for JSON templates, keys per the mapping over DEFAULT_AWS_FIELDS. */
export function awsParser(_format: GatewayFormat, opts: GatewayParseOptions): RecordParser {
  const fields = compile(opts.aws);
  const name = serviceNamer(opts.naming);
  const defaultGateway = opts.defaultGatewayName || 'aws-apigateway';
  const nums = new NumberReader();

  function timeOf(record: Record<string, unknown>): number | string {
    const t = lookup(record, fields.timestampMs);
    if (!t) return `no request time (${fields.timestampMs.map((l) => l.key).join(' or ')})`;
    if (typeof t.value === 'number' || (typeof t.value === 'string' && EPOCH.test(t.value))) {
      const n = Number(t.value);
      if (Number.isFinite(n)) return n < 1e11 ? n * 1000 : n;
    }
    const s = text(t.value);
    const ms = s.charCodeAt(2) === 47 /* / */ ? clfTimeMs(s) : isoTimeMs(s);
    return Number.isNaN(ms) ? `${t.key} is not a time (${preview(t.value)})` : ms;
  }

  return {
    object(record): RecordOutcome {
      const get = (field: Field): string => text(lookup(record, fields[field])?.value);
      const routeKey = get('route');
      const fromRoute = splitRouteKey(routeKey);
      const method = get('method') || fromRoute.method;
      if (!method) return 'no request method (httpMethod, or the method of routeKey)';
      nums.reset();
      const timestampMs = timeOf(record);
      if (typeof timestampMs === 'string') return timestampMs;
      const num = (field: Field): number | null => {
        const f = lookup(record, fields[field]);
        return f ? nums.read(f.key, f.value) : null;
      };
      const status = num('status') ?? 0;
      const bytesIn = num('bytesIn') ?? 0;
      const bytesOut = num('bytesOut') ?? 0;
      const durationMs = num('durationMs') ?? 0;
      const upstreamMs = num('upstreamMs');
      if (nums.bad) return nums.bad;

      const pathTemplate = fromRoute.template || get('pathTemplate');
      const clientAddress = get('clientAddress');
      const [consumer, consumerKind] = consumerOf(clientAddress, [get('principal'), 'principal'], [get('credential'), 'credential']);
      const upstream = get('upstreamService');
      const call: ApiCallRecord = {
        timestampMs,
        gateway: 'aws-apigateway',
        gatewayName: get('gatewayName') || defaultGateway,
        consumer,
        consumerKind,
        clientAddress,
        route: routeKey || (pathTemplate ? `${method} ${pathTemplate}` : ''),
        upstreamService: upstream ? name({ name: upstream }) : '',
        method,
        path: withoutQuery(get('path')) || pathTemplate,
        pathTemplate,
        status,
        durationMs,
        upstreamMs,
        gatewayMs: null,
        bytesIn,
        bytesOut,
        requestId: get('requestId'),
        traceId: fromXRay(get('traceId')),
      };
      return call;
    },
    text(line): RecordOutcome {
      return line.startsWith('<') ? AWS_XML_REASON : AWS_TEXT_REASON;
    },
  };
}
