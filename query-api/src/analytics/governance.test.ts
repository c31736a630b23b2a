import { test } from 'node:test';
import assert from 'node:assert/strict';
import { governanceFindings, httpOperation } from './governance.ts';

test('HTTP server span names split into method and route; other names do not', () => {
  assert.deepEqual(httpOperation('GET /pets/{id}'), { method: 'GET', route: '/pets/{id}' });
  assert.equal(httpOperation('process orders'), undefined);
  assert.equal(httpOperation('GET'), undefined);
  assert.equal(httpOperation('SELECT /x y'), undefined);
});

test('a dangling owner, a stale declaration and an unused operation are found; declared calls are not flagged', () => {
  const findings = governanceFindings({
    services: ['web', 'api'],
    operations: [{ service: 'api', method: 'GET', route: '/a/{id}', calls: 5 }],
    calls: [{ caller: 'web', callee: 'api', calls: 5 }],
    components: new Map([
      ['web', { ref: 'component:default/web', owner: 'group:default/ghosts', provides: [], consumes: ['api:default/a', 'api:default/b'], dependsOn: [] }],
      ['api', { ref: 'component:default/api', owner: 'group:default/team', provides: ['api:default/a'], consumes: [], dependsOn: [] }],
      ['batch', { ref: 'component:default/batch', owner: 'group:default/team', provides: ['api:default/b'], consumes: [], dependsOn: [] }],
    ]),
    apiOperations: new Map([
      ['api:default/a', [{ method: 'GET', fullPath: '/a/{id}', deprecated: false }, { method: 'DELETE', fullPath: '/a/{id}', deprecated: false }]],
      ['api:default/b', [{ method: 'GET', fullPath: '/b', deprecated: false }]],
    ]),
    refs: new Set(['group:default/team', 'component:default/web', 'component:default/api', 'component:default/batch']),
  });
  assert.deepEqual(findings.map((f) => `${f.kind} ${f.entityRef ?? f.service} ${f.method ?? ''} ${f.path ?? ''} ${f.counterpart ?? ''}`.trim()).sort(), [
    'NO_OWNER component:default/web',
    'STALE_DECLARATION component:default/web   api:default/b',
    'UNUSED_API api:default/b',
    'UNUSED_OPERATION api:default/a DELETE /a/{id}',
  ]);
});
