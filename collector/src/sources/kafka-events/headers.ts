import type { KafkaMessage } from './message.ts';
import { utf8OrNull } from './bytes.ts';

/** One header name with every value it was sent with, in order. */
export interface Header {
  name: string;
  values: Array<Buffer | string>;
}

/** The record's headers as a list; absent values are left out. */
export function headerList(headers: KafkaMessage['headers']): Header[] {
  const out: Header[] = [];
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    if (values.length > 0) out.push({ name, values });
  }
  return out;
}

/** A header value as text, or null when its bytes are not UTF-8. */
export function headerText(value: Buffer | string): string | null {
  return typeof value === 'string' ? value : utf8OrNull(value);
}

/** The first value of the first header with this name, compared case-insensitively, as text ('' when absent or not UTF-8). */
export function firstHeaderText(headers: readonly Header[], name: string): string {
  const lower = name.toLowerCase();
  const h = headers.find((x) => x.name.toLowerCase() === lower);
  return h === undefined ? '' : (headerText(h.values[0]!) ?? '');
}

/** Every value sent under this name, compared case-insensitively. */
export function headerValues(headers: readonly Header[], name: string): Array<Buffer | string> {
  const lower = name.toLowerCase();
  return headers.filter((x) => x.name.toLowerCase() === lower).flatMap((x) => x.values);
}
