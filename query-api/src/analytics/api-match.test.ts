import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindObserved, observedKey, type MatchIndex } from './api-match.ts';

const index: MatchIndex = {
  providedBy: new Map([
    ['pets', ['api:default/pets', 'api:default/pets-admin']],
    ['greeter', ['api:default/greeter']],
  ]),
  apiOperations: new Map([
    ['api:default/pets', [
      { method: 'GET', fullPath: '/pets/{petId}', deprecated: false },
      { method: 'GET', fullPath: '/pets/mine', deprecated: false },
      { method: 'DELETE', fullPath: '/pets/{petId}', deprecated: true },
    ]],
    ['api:default/pets-admin', [{ method: 'POST', fullPath: '/admin/pets', deprecated: false }]],
    ['api:default/greeter', [{ method: 'RPC', fullPath: 'helloworld.Greeter/SayHello', deprecated: false }]],
    ['api:default/lights-out', [{ method: 'RECEIVE', fullPath: 'lights.{id}.measured', deprecated: false }]],
    ['api:default/lights', [{ method: 'SEND', fullPath: 'lights.{id}.measured', deprecated: false }]],
  ]),
};

test('observations bind to the most specific operation of the APIs their service provides', () => {
  const observed = [
    { target: 'pets', method: 'GET', route: '/pets/42' },
    { target: 'pets', method: 'GET', route: '/pets/mine' },
    { target: 'pets', method: 'GET', route: '/pets/:id' },
    { target: 'pets', method: 'DELETE', route: '/pets/{id}' },
    { target: 'pets', method: 'POST', route: '/admin/pets' },
    { target: 'pets', method: 'PUT', route: '/pets/42' },
    { target: 'other', method: 'GET', route: '/pets/42' },
    { target: 'greeter', method: '', route: 'helloworld.Greeter/SayHello' },
    { target: 'greeter', method: '', route: 'helloworld.Greeter/SayBye' },
    { topic: 'lights.7.measured' },
    { topic: 'unknown.topic' },
  ];
  const b = bindObserved(observed, index);
  const show = (o: (typeof observed)[number]) => {
    const hit = b.get(observedKey(o));
    return hit ? `${hit.api} ${hit.method} ${hit.path}${hit.deprecated ? ' deprecated' : ''}` : null;
  };
  assert.deepEqual(observed.map(show), [
    'api:default/pets GET /pets/{petId}',
    'api:default/pets GET /pets/mine',
    'api:default/pets GET /pets/{petId}',
    'api:default/pets DELETE /pets/{petId} deprecated',
    'api:default/pets-admin POST /admin/pets',
    null,
    null,
    'api:default/greeter RPC helloworld.Greeter/SayHello',
    null,
    // The publisher's API owns the channel, though a subscriber declares it too.
    'api:default/lights CHANNEL lights.{id}.measured',
    null,
  ]);
});
