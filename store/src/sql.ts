/**
 * The one way to write ClickHouse SQL in Plexus: a tagged template whose
 * interpolations become server-side `{name:Type}` parameters, never text.
 */

/** A value with an explicit ClickHouse type, bound as a query parameter. */
export interface Param {
  readonly kind: 'param';
  readonly type: string;
  readonly value: unknown;
}

/** A validated identifier (table or column name), quoted with backticks. */
export interface Identifier {
  readonly kind: 'identifier';
  readonly name: string;
}

/** A composed SQL statement: text with `{pN:Type}` placeholders plus their values. */
export class Sql {
  readonly strings: readonly string[];
  readonly values: readonly SqlValue[];

  constructor(strings: readonly string[], values: readonly SqlValue[]) {
    this.strings = strings;
    this.values = values;
  }

  /** Renders the statement with numbered parameters. */
  render(): { query: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = {};
    const query = renderInto(this, params);
    return { query, params };
  }
}

export type SqlValue = Sql | Param | Identifier | string | number | bigint | boolean | Date | readonly string[] | readonly number[];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function renderInto(fragment: Sql, params: Record<string, unknown>): string {
  let out = fragment.strings[0] ?? '';
  fragment.values.forEach((value, i) => {
    out += renderValue(value, params) + (fragment.strings[i + 1] ?? '');
  });
  return out;
}

function renderValue(value: SqlValue, params: Record<string, unknown>): string {
  if (value instanceof Sql) return renderInto(value, params);
  if (isTagged(value) && value.kind === 'identifier') return '`' + value.name + '`';
  const { type, bound } = isTagged(value) ? { type: value.type, bound: value.value } : inferParam(value);
  const name = `p${Object.keys(params).length}`;
  params[name] = bound;
  return `{${name}:${type}}`;
}

function isTagged(value: SqlValue): value is Param | Identifier {
  return typeof value === 'object' && value !== null && 'kind' in value && !Array.isArray(value) && !(value instanceof Date);
}

function inferParam(value: Exclude<SqlValue, Sql | Param | Identifier>): { type: string; bound: unknown } {
  if (typeof value === 'string') return { type: 'String', bound: value };
  if (typeof value === 'boolean') return { type: 'Bool', bound: value };
  if (typeof value === 'bigint') return { type: 'Int64', bound: value.toString() };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'Int64' : 'Float64', bound: value };
  if (value instanceof Date) return { type: "DateTime64(3, 'UTC')", bound: formatDateTime(value) };
  if (value.every((v) => typeof v === 'string')) return { type: 'Array(String)', bound: value };
  return { type: 'Array(Float64)', bound: value };
}

/** Formats a Date as a ClickHouse DateTime64(3) literal in UTC. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Tagged template: `sql\`SELECT … WHERE ServiceName = ${name}\``. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  return new Sql(strings, values);
}

/** Binds a value with an explicit ClickHouse type, e.g. `param('UInt32', days)`. */
export function param(type: string, value: unknown): Param {
  return { kind: 'param', type, value };
}

/** A table or column name; rejects anything that is not a plain identifier. */
export function ident(name: string): Identifier {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${JSON.stringify(name)}`);
  return { kind: 'identifier', name };
}

/** Joins fragments with a separator fragment (e.g. `sql\`, \``). */
export function join(parts: readonly Sql[], separator: Sql = sql`, `): Sql {
  if (parts.length === 0) return sql``;
  const strings: string[] = [''];
  const values: SqlValue[] = [];
  parts.forEach((part, i) => {
    if (i > 0) {
      values.push(separator);
      strings.push('');
    }
    values.push(part);
    strings.push('');
  });
  return new Sql(strings, values);
}

/** An empty fragment, for optional clauses. */
export const empty: Sql = sql``;
