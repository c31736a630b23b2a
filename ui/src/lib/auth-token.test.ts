import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, authHeaders, forgetApiToken, onUnauthorized, reportUnauthorized, saveApiToken, useTokenStorage } from './auth-token.ts';
import { gql } from './graphql.ts';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

test('a saved token is sent as a bearer token; blank input forgets it', () => {
  useTokenStorage(memoryStorage());
  assert.deepEqual(authHeaders(), {});
  saveApiToken('  s3cret-token-value  ');
  assert.equal(apiToken(), 's3cret-token-value');
  assert.deepEqual(authHeaders(), { authorization: 'Bearer s3cret-token-value' });
  saveApiToken('   ');
  assert.equal(apiToken(), null);
  saveApiToken('x'.repeat(20));
  forgetApiToken();
  assert.deepEqual(authHeaders(), {});
});

test('requests carry the token, and a 401 tells the listeners', async () => {
  useTokenStorage(memoryStorage());
  saveApiToken('reader-token-123456');
  let seen: Headers | undefined;
  let told = 0;
  const off = onUnauthorized(() => told++);
  const fetch401 = async (_: string, init: RequestInit) => {
    seen = new Headers(init.headers);
    return new Response(JSON.stringify({ errors: [{ message: 'a token is required', extensions: { code: 'UNAUTHENTICATED' } }] }), { status: 401 });
  };
  await assert.rejects(gql('{ about { version } }', {}, { fetch: fetch401 }), /a token is required/);
  assert.equal(seen?.get('authorization'), 'Bearer reader-token-123456');
  assert.equal(told, 1);
  off();
  reportUnauthorized();
  assert.equal(told, 1);
});
