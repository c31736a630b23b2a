import type { Attributes } from '../../spans/span-record.ts';
import { parseRfc3339 } from './rfc3339.ts';

/** The context attributes of one CloudEvent, validated against the spec (1.0 or 0.3). */
export interface CloudEventAttributes {
  specVersion: '1.0' | '0.3';
  id: string;
  source: string;
  type: string;
  subject: string;
  timeMs: number | null;
  /** dataschema (1.0) or schemaurl (0.3). */
  dataSchema: string;
  /** datacontenttype when the event carries it. */
  dataContentType: string | null;
  /** Sorted by name. */
  extensions: Attributes;
}

/** Names an attribute in a reason: `attribute "id"` (structured) or `header ce_id` (binary). */
export type AttributeLabel = (name: string) => string;

const SPEC_VERSIONS = new Set(['1.0', '0.3']);
// Attribute names: lower-case ASCII letters and digits (spec "Attribute Naming Convention").
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const OPTIONAL = { '1.0': ['subject', 'time', 'datacontenttype', 'dataschema'], '0.3': ['subject', 'time', 'datacontenttype', 'schemaurl', 'datacontentencoding'] } as const;

/**
 * Validates the attributes of an event that claims to be a CloudEvent (raw
 * values as JSON gives them, or header strings) and splits context attributes
 * from extensions. Returns the reason when it is not a valid CloudEvent.
 */
export function cloudEventAttributes(raw: ReadonlyMap<string, unknown>, label: AttributeLabel): CloudEventAttributes | string {
  const specVersion = raw.get('specversion');
  if (specVersion === undefined || specVersion === null) return `missing required ${label('specversion')}`;
  if (typeof specVersion !== 'string') return `${label('specversion')} must be a string, not ${JSON.stringify(specVersion)}`;
  if (!SPEC_VERSIONS.has(specVersion)) return `${label('specversion')} is ${JSON.stringify(specVersion)}; the CloudEvents versions read here are 1.0 and 0.3`;
  const version = specVersion as '1.0' | '0.3';

  const required: Record<'id' | 'source' | 'type', string> = { id: '', source: '', type: '' };
  for (const name of ['id', 'source', 'type'] as const) {
    const v = raw.get(name);
    if (v === undefined || v === null) return `missing required ${label(name)}`;
    if (typeof v !== 'string' || v === '') return `${label(name)} must be a non-empty string, not ${JSON.stringify(v)}`;
    required[name] = v;
  }

  const optional = new Map<string, string>();
  for (const name of OPTIONAL[version]) {
    const v = raw.get(name);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return `${label(name)} must be a string, not ${JSON.stringify(v)}`;
    optional.set(name, v);
  }
  let timeMs: number | null = null;
  const time = optional.get('time');
  if (time !== undefined) {
    const parsed = parseRfc3339(time);
    if ('error' in parsed) return `${label('time')} ${JSON.stringify(time)} ${parsed.error}`;
    timeMs = parsed.ms;
  }

  const known = new Set<string>(['specversion', 'id', 'source', 'type', ...OPTIONAL[version]]);
  const extensions: Attributes = [];
  for (const [name, v] of raw) {
    if (known.has(name) || v === undefined || v === null) continue;
    if (!ATTRIBUTE_NAME.test(name)) return `${label(name)}: attribute names are lower-case letters a-z and digits 0-9 only`;
    const text = extensionText(v);
    if (typeof text !== 'string') return `${label(name)} ${text.error}`;
    extensions.push([name, text]);
  }
  extensions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  return {
    specVersion: version,
    ...required,
    subject: optional.get('subject') ?? '',
    timeMs,
    dataSchema: optional.get(version === '1.0' ? 'dataschema' : 'schemaurl') ?? '',
    dataContentType: optional.get('datacontenttype') ?? null,
    extensions,
  };
}

// The CloudEvents type system: Boolean, Integer (32-bit) and string-encoded
// types (String, Binary, URI, URI-reference, Timestamp). JSON has no other
// place for an extension value; a fraction or a 64-bit number is not one.
function extensionText(v: unknown): string | { error: string } {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { error: `is ${v}, not an Integer: CloudEvents has no fractional numbers (send it as a string)` };
    if (v < INT32_MIN || v > INT32_MAX) return { error: `is ${v}, outside the Integer range ${INT32_MIN}..${INT32_MAX}` };
    return String(v);
  }
  return { error: `is ${Array.isArray(v) ? 'an array' : 'an object'}; attribute values are strings, booleans or integers` };
}
