// Plexus with tokens configured, in a real browser: the UI asks for a token on
// the first 401, sends it from then on, and says so when a saved one is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';

const TOKEN = 'browser-admin-token-0123456789';
let demo: DemoBrowser;

before(async () => {
  demo = await startDemoBrowser({ env: { PLEXUS_ADMIN_TOKEN: TOKEN } });
});
after(async () => {
  await demo?.close();
});

test('without a token the UI asks for one; with it the map loads', async () => {
  const { page, px } = demo;
  await page.goto(`${px.url}/map?from=now-15m&to=now`);
  const dialog = page.locator('[data-testid="token-dialog"]');
  await dialog.waitFor({ timeout: 15_000 });
  assert.match(await dialog.innerText(), /needs an API token/);
  await dialog.locator('input[type="password"]').fill(TOKEN);
  await dialog.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-node"]').length >= 17, null, { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid="token-dialog"]').count(), 0);
  // The token is kept for the next visit, not put in the URL.
  assert.doesNotMatch(page.url(), /token/i);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-node"]').length >= 17, null, { timeout: 30_000 });
});

test('a refused saved token is reported and can be forgotten', async () => {
  const { page, px } = demo;
  await page.evaluate(() => localStorage.setItem('plexus.apiToken', 'not-the-right-token-000000'));
  await page.goto(`${px.url}/services?from=now-15m&to=now`);
  const dialog = page.locator('[data-testid="token-dialog"]');
  await dialog.waitFor({ timeout: 15_000 });
  assert.match(await dialog.innerText(), /saved token was refused/);
  await dialog.getByRole('button', { name: 'Forget saved token' }).click();
  await page.locator('[data-testid="token-dialog"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('plexus.apiToken')), null);
});
