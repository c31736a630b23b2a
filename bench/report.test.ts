import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSummaryRows } from './report.ts';

const previous = [
  'Run of 2026-11-22.',
  '',
  '| Figure | Target | Result | Status |',
  '|---|---:|---:|---|',
  '| Plexus process peak RSS (ingest 1.34 GiB, queries 628 MiB) | ≤ 1.50 GiB | 1.34 GiB | met |',
  '| Gateway logs, Kong http-log NDJSON, lines/s accepted (sustained 60.2 s, 4 in flight) | ≥ 100,000 | 97,000 | **MISSED** |',
  '| Kafka → ClickHouse events, messages/s | ≥ 50,000 | 53,025 | met |',
].join('\n');

const rowOf = (body: string, start: string) => body.split('\n').find((l) => l.startsWith(`| ${start}`))?.split('|').map((c) => c.trim()).filter(Boolean);

test('a partial run replaces its rows and, in the RSS row, only the phases it measured', () => {
  const merged = mergeSummaryRows(previous, [
    { figure: 'Gateway logs, Kong http-log NDJSON, lines/s accepted (sustained 60.1 s, 4 in flight)', target: '≥ 100,000', result: '104,283', met: true },
    { figure: 'Plexus process peak RSS (ingest 1.49 GiB)', target: '≤ 1.50 GiB', result: '1.49 GiB', met: true },
  ]);
  assert.deepEqual(rowOf(merged, 'Plexus process peak RSS'), ['Plexus process peak RSS (ingest 1.49 GiB, queries 628 MiB)', '≤ 1.50 GiB', '1.49 GiB', 'met']);
  assert.deepEqual(rowOf(merged, 'Gateway logs, Kong'), ['Gateway logs, Kong http-log NDJSON, lines/s accepted (sustained 60.1 s, 4 in flight)', '≥ 100,000', '104,283', 'met']);
  assert.deepEqual(rowOf(merged, 'Kafka'), ['Kafka → ClickHouse events, messages/s', '≥ 50,000', '53,025', 'met'], 'rows not measured are kept');
  assert.ok(merged.startsWith('Run of 2026-11-22.'));
  assert.equal(merged.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Figure')).length, 3, 'replaced rows are not also kept');
});

test('the RSS row of a partial run is judged on the larger of its phases', () => {
  const merged = mergeSummaryRows(previous, [{ figure: 'Plexus process peak RSS (queries 1.62 GiB)', target: '≤ 1.50 GiB', result: '1.62 GiB', met: false }]);
  assert.deepEqual(rowOf(merged, 'Plexus process peak RSS'), ['Plexus process peak RSS (ingest 1.34 GiB, queries 1.62 GiB)', '≤ 1.50 GiB', '1.62 GiB', '**MISSED**']);
});
