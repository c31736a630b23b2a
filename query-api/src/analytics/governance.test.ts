import { test } from 'node:test';
import assert from 'node:assert/strict';
import { governanceFindings } from './governance.ts';

test('a dangling owner, a stale declaration and an unused operation are found; declared calls are not flagged', () => {
  const findings = governanceFindings({
    services: ['web', 'api'],
    operations: [{ service: 'api', method: 'GET', route: '/a/{id}', calls: 5, callers: ['web'] }],
    calls: [{ caller: 'web', callee: 'api', calls: 5 }],
    components: new Map([
      ['web', { ref: 'component:default/web', owner: 'group:default/ghosts', provides: [], consumes: ['api:default/a', 'api:default/b'], dependsOn: [] }],
      ['api', { ref: 'component:default/api', owner: 'group:default/team', provides: ['api:default/a'], consumes: [], dependsOn: [] }],
      ['batch', { ref: 'component:default/batch', owner: 'group:default/team', provides: ['api:default/b'], consumes: [], dependsOn: [] }],
    ]),
    providedBy: new Map([['api', ['api:default/a']], ['batch', ['api:default/b']]]),
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

test('a deprecated operation names exactly the services that call it, not every caller of its provider', () => {
  const findings = governanceFindings({
    services: ['web', 'batch', 'stock'],
    operations: [
      { service: 'stock', method: 'GET', route: '/stock/{sku}', calls: 3, callers: ['web'] },
      { service: 'stock', method: 'GET', route: '/levels', calls: 9, callers: ['batch', 'web'] },
      { service: 'stock', method: 'POST', route: '/internal/reindex', calls: 1, callers: [] },
    ],
    calls: [{ caller: 'web', callee: 'stock', calls: 4 }, { caller: 'batch', callee: 'stock', calls: 8 }],
    components: new Map([['stock', { ref: 'component:default/stock', owner: 'group:default/team', provides: ['api:default/stock'], consumes: [], dependsOn: [] }]]),
    providedBy: new Map([['stock', ['api:default/stock']]]),
    apiOperations: new Map([['api:default/stock', [{ method: 'GET', fullPath: '/stock/{sku}', deprecated: true }, { method: 'GET', fullPath: '/levels', deprecated: false }]]]),
    refs: new Set(['group:default/team', 'component:default/stock']),
  });
  assert.deepEqual(findings.filter((f) => f.kind === 'DEPRECATED_IN_USE' || f.kind === 'SHADOW_ENDPOINT').map((f) => `${f.kind} ${f.method} ${f.path} ${f.counterpart ?? '-'}`), [
    'DEPRECATED_IN_USE GET /stock/{sku} web',
    'SHADOW_ENDPOINT POST /internal/reindex -',
  ]);
});
