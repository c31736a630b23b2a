// The edge job's watermark survives a restart: nothing is recomputed twice, and
// a late child arriving after the restart still fixes the map.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '@plexus/store';
import { startTestPlexus, postOtlpJson } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, windowAround } from './spans.ts';

const dir = mkdtempSync(join(tmpdir(), 'plexus-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a restart resumes from the persisted watermark', async () => {
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 60_000;
  const win = windowAround(base, 10);
  const traceId = newTraceId();
  const client = newSpanId();
  const graph = `query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) { edges { source target calls } } }`;

  const first = await startTestPlexus({ PLEXUS_DATA_DIR: dir });
  assert.equal((await postOtlpJson(first.otlpUrl, otlpJson([
    { service: 'rs-web', name: 'GET', kind: 'CLIENT', traceId, spanId: client, startMs: base, durationMs: 30, attributes: { 'server.address': 'rs-api.internal' } },
  ]))).status, 200);
  await first.recompute();
  assert.deepEqual((await first.gql(graph, win)).dependencyGraph.edges, [{ source: 'service:rs-web', target: 'external:rs-api.internal', calls: 1 }]);
  const versions = (px: { store: import('@plexus/store').Store }) =>
    px.store.query<{ v: string }>(sql`SELECT DISTINCT toString(Version) AS v FROM service_edges WHERE Minute = toDateTime(${base / 1000}) ORDER BY v`);
  const before = await versions(first);
  assert.equal(before.length, 1);
  await first.close();

  const second = await startTestPlexus({ PLEXUS_DATA_DIR: dir });
  try {
    // Nothing new since the persisted watermark: passes after the restart
    // (the startup one and this one) leave the minute's version alone.
    await second.recompute();
    assert.deepEqual(await versions(second), before, 'the minute was not recomputed again');
    assert.equal((await postOtlpJson(second.otlpUrl, otlpJson([
      { service: 'rs-api', name: 'GET /x', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: base + 5, durationMs: 20 },
    ]))).status, 200);
    await second.recompute();
    assert.deepEqual((await second.gql(graph, win)).dependencyGraph.edges, [{ source: 'service:rs-web', target: 'service:rs-api', calls: 1 }]);
  } finally {
    await second.close();
  }
});
