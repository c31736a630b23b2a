// AnyValue -> string, the way the ClickHouse exporter flattens attributes:
// scalars as text, bytes as base64, arrays and maps as JSON.

/** A decoded AnyValue in either protobufjs or OTLP/JSON shape (camelCase keys). */
export interface AnyValueLike {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: number | string | { toString(): string } | null;
  doubleValue?: number | string | null;
  arrayValue?: { values?: AnyValueLike[] | null } | null;
  kvlistValue?: { values?: Array<{ key?: string | null; value?: AnyValueLike | null }> | null } | null;
  bytesValue?: Uint8Array | string | null;
}

type Field = keyof AnyValueLike;

// protobufjs puts proto3 defaults ("" , 0, false) on the message prototype, so
// only an own property says which member of the oneof was sent; JSON objects
// have own properties only for what they carry, so one test serves both.
const READERS: ReadonlyArray<readonly [Field, (v: NonNullable<AnyValueLike[Field]>) => unknown]> = [
  ['stringValue', (v) => v],
  ['boolValue', (v) => String(v)],
  ['intValue', (v) => v.toString()],
  ['doubleValue', (v) => String(Number(v))],
  ['bytesValue', (v) => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('base64'))],
  ['arrayValue', (v) => ((v as { values?: AnyValueLike[] | null }).values ?? []).map((x) => anyValueToJson(x ?? {}))],
  ['kvlistValue', (v) => {
    const out: Record<string, unknown> = {};
    for (const kv of (v as NonNullable<AnyValueLike['kvlistValue']>).values ?? []) out[kv.key ?? ''] = kv.value ? anyValueToJson(kv.value) : null;
    return out;
  }],
];

function anyValueToJson(v: AnyValueLike): unknown {
  for (const [field, read] of READERS) {
    const value = v[field];
    if (Object.hasOwn(v, field) && value != null) return read(value);
  }
  return '';
}

/** The attribute's value as a string. */
export function anyValueToString(v: AnyValueLike | null | undefined): string {
  if (v == null) return '';
  const json = anyValueToJson(v);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

/** Key/value list -> [key, value] pairs. */
export function keyValues(list: ReadonlyArray<{ key?: string | null; value?: AnyValueLike | null }> | null | undefined): Array<[string, string]> {
  if (!list) return [];
  const out: Array<[string, string]> = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]!;
    out[i] = [kv.key ?? '', anyValueToString(kv.value)];
  }
  return out;
}
