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

/** The attribute's value as a string. */
export function anyValueToString(v: AnyValueLike | null | undefined): string {
  if (v == null) return '';
  if (v.stringValue != null) return v.stringValue;
  const json = anyValueToJson(v);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

function anyValueToJson(v: AnyValueLike): unknown {
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return String(v.boolValue);
  if (v.intValue != null) return v.intValue.toString();
  if (v.doubleValue != null) return String(Number(v.doubleValue));
  if (v.bytesValue != null) return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue).toString('base64');
  if (v.arrayValue != null) return (v.arrayValue.values ?? []).map((x) => anyValueToJson(x ?? {}));
  if (v.kvlistValue != null) {
    const out: Record<string, unknown> = {};
    for (const kv of v.kvlistValue.values ?? []) out[kv.key ?? ''] = kv.value ? anyValueToJson(kv.value) : null;
    return out;
  }
  return '';
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
