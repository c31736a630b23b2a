// The README's GraphQL examples are what newcomers paste first: they must
// stay valid against the schema as it changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { buildSchema } from './schema.ts';

test('every GraphQL example in README.md validates against the schema', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 3, `expected the README's GraphQL examples, found ${blocks.length}`);
  const schema = buildSchema();
  for (const block of blocks) assert.deepEqual(validate(schema, parse(block)).map((e) => e.message), [], block);
});
