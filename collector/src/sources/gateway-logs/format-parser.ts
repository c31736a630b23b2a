import type { ApiCallRecord, GatewayFormat } from './api-call.ts';
import type { NamingRule } from '../naming.ts';
import type { AwsFieldMapping } from './aws-apigateway/wire.ts';

/** Options of parseGatewayLog. */
export interface GatewayParseOptions {
  /** How upstream services and workloads are named; DEFAULT_NAMING when absent. */
  naming?: NamingRule;
  /** AWS only: which keys of the user's `$context` JSON template hold which field, over DEFAULT_AWS_FIELDS. */
  aws?: AwsFieldMapping;
  /** The gateway node name when the log does not say (Kong never does); the format name when absent. */
  defaultGatewayName?: string;
}

/** What a format parser makes of one record: the call, or why it is rejected (the framing adds where). */
export type RecordOutcome = ApiCallRecord | string;

/** One format's reader of records, built once per body with its options resolved. */
export interface RecordParser {
  /** Reads one record that is a JSON object. */
  object(record: Record<string, unknown>): RecordOutcome;
  /** Reads one line that is not JSON; absent for formats that are JSON only. */
  text?(line: string): RecordOutcome;
}

/** Builds a format's parser; `istio` shares Envoy's parser and differs only in the `gateway` it stamps. */
export type ParserFactory = (format: GatewayFormat, opts: GatewayParseOptions) => RecordParser;
