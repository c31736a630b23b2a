// Debian's chromium driven by playwright-core, as every browser test and the
// waterfall bench start it, and where their screenshots go.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** Throws, saying how to get one, when there is no chromium to launch. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
}

/** Launches headless chromium (CHROMIUM_PATH, else /usr/bin/chromium). */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Saves a screenshot of `page` to test-results/; one the README shows also to docs/screenshots/ when PLEXUS_UPDATE_SCREENSHOTS=1. */
export async function saveScreenshot(page: Page, name: string, opts: { readme?: boolean; fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}`, fullPage: opts.fullPage ?? false });
  if (opts.readme && process.env.PLEXUS_UPDATE_SCREENSHOTS === '1') copyFileSync(`${ARTIFACTS}${name}`, `${SCREENSHOTS}${name}`);
}
