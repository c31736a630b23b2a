// Topics in a real browser: the topics list and the page of the demo shop's `orders` topic,
// whose producers and consumers come from the demo's spans and whose owner, resource and
// AsyncAPI channel come from the demo catalog. The demo sends no Kafka data, so the consumer
// groups and events sections must show how to get them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';
import { TOPICS } from '../../cli/src/demo/landscape.ts';

// cli/src/demo/landscape.ts: the topics, their consumers; checkout's `POST /checkout` produces to orders.
const TOPIC_NAMES = TOPICS.map((t) => t.name).sort();
const ORDERS = TOPICS.find((t) => t.name === 'orders')!;
const ORDERS_CONSUMERS = ORDERS.consumers.map((c) => c.service).sort();
const ORDERS_PRODUCERS = ['checkout'];

let demo: DemoBrowser;
let page: Page;

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1500, height: 1000 } });
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

test('the topics page lists the demo topics with their producers and consumers', async () => {
  await page.goto(`${demo.px.url}/topics?from=now-15m&to=now`);
  await page.locator('[data-testid="topics-page"]').waitFor({ timeout: 15_000 });
  const table = page.locator('[data-testid="topics-table"]');
  await table.waitFor({ timeout: 15_000 });
  const names = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-topic')));
  assert.deepEqual(names.sort(), TOPIC_NAMES);
  const row = table.locator('tbody tr[data-topic="orders"]');
  assert.deepEqual(await row.locator('[data-testid="producers"] a').allInnerTexts(), ORDERS_PRODUCERS);
  assert.deepEqual(await row.locator('[data-testid="consumers"] a').allInnerTexts(), ORDERS_CONSUMERS);
  assert.deepEqual(await row.locator('[data-testid="consumers"] a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)), ORDERS_CONSUMERS.map((s) => `/services/${s}`));
  // messages/s is a positive rate: the demo sent orders in the last minutes
  const rate = parseFloat((await row.locator('td:nth-child(2)').innerText()).replace(/[^0-9.]/g, ''));
  assert.ok(rate > 0, `orders has a message rate, got ${rate}`);
  // The filter narrows by name, producer or consumer, and lives in the URL.
  await page.locator('[data-testid="topics-page"] input[type="search"]').fill('no-such-topic');
  await page.waitForURL(/q=no-such-topic/);
  await page.getByText('No topic matches').waitFor();
  await page.locator('[data-testid="topics-page"] input[type="search"]').fill('shipping');
  await table.locator('tbody tr[data-topic="orders"]').waitFor();
  await page.locator('[data-testid="topics-page"] input[type="search"]').fill('');
  await table.locator('tbody tr[data-topic="orders"] td.name a').click();
  await page.waitForURL(/\/topics\/orders\?/, { timeout: 10_000 });
  assert.match(new URL(page.url()).search, /from=now-15m&to=now/, 'the time range follows the link');
});

test('the orders topic page: catalog owner, resource and AsyncAPI channel, throughput, and how to get Kafka data', async () => {
  const topic = page.locator('[data-testid="topic-page"][data-topic="orders"]');
  await topic.waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="topic-header"]').waitFor({ timeout: 15_000 });
  // cli/src/demo/catalog/systems.yaml: Resource orders (kafka-topic) owned by checkout-team; apis.yaml: order-events has channel orders.
  assert.equal(await page.locator('[data-testid="topic-owner"] a').innerText(), 'checkout-team');
  assert.equal(new URL(await page.locator('[data-testid="topic-owner"] a').evaluate((a) => (a as HTMLAnchorElement).href)).pathname, '/catalog/group/default/checkout-team');
  assert.equal(await page.locator('[data-testid="topic-resource"] a').innerText(), 'resource:default/orders');
  assert.equal(new URL(await page.locator('[data-testid="topic-resource"] a').evaluate((a) => (a as HTMLAnchorElement).href)).pathname, '/catalog/resource/default/orders');
  assert.equal(await page.locator('[data-testid="topic-channel"] a').innerText(), 'api:default/order-events');
  assert.equal(await page.locator('[data-testid="topic-channel"] code').innerText(), 'orders');
  await page.locator('[data-testid="topic-throughput"] canvas').first().waitFor({ timeout: 10_000 });
  assert.deepEqual(await page.locator('[data-testid="topic-producers"] a').allInnerTexts(), ORDERS_PRODUCERS);
  assert.deepEqual(await page.locator('[data-testid="topic-consumers"] a').allInnerTexts(), ORDERS_CONSUMERS);
  // No broker in the demo: no groups, events or event types, and each section says how to get them.
  assert.match(await page.locator('[data-testid="groups-empty"]').innerText(), /KAFKA_BROKERS/);
  assert.match(await page.locator('[data-testid="events-empty"]').innerText(), /kafka\.events\.topics.*PLEXUS_KAFKA_EVENT_TOPICS.*KAFKA_BROKERS/s);
  assert.match(await page.locator('[data-testid="event-types-empty"]').innerText(), /PLEXUS_KAFKA_EVENT_TOPICS/);
  assert.equal(await page.locator('[data-testid="consumer-groups-table"]').count(), 0);
  await demo.screenshot('topic.png', { readme: true, fullPage: true });
  // A malformed trace id is refused in place; a well-formed one searches (and the demo has no events).
  await page.locator('[data-testid="trace-search"]').fill('abc');
  await page.locator('[data-testid="trace-search"]').press('Enter');
  await page.waitForURL(/trace=abc/);
  assert.match(await page.getByRole('alert').innerText(), /32 hex digits/);
  await page.locator('[data-testid="trace-search"]').fill('4bf92f3577b34da6a3ce929d0e0e4736');
  await page.locator('[data-testid="trace-search"]').press('Enter');
  await page.waitForURL(/trace=4bf92f3577b34da6a3ce929d0e0e4736/);
  await page.getByText('No event of trace').waitFor({ timeout: 10_000 });
});

test('on the map a topic node opens its page', async () => {
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now`);
  const orders = page.locator('[data-testid="map-node"][data-node-id="topic:orders"]').first();
  await orders.waitFor({ timeout: 30_000 });
  // topic edges are labelled in messages per second
  await page.locator('.edge-label', { hasText: 'msg/s' }).first().waitFor({ timeout: 10_000 });
  await orders.click();
  await page.waitForURL(/\/topics\/orders\?/, { timeout: 10_000 });
  await page.locator('[data-testid="topic-page"][data-topic="orders"]').waitFor();
});
