// What every browser test starts from: a real Plexus (temporary chDB) with the
// demo shop's catalog imported and a few minutes of its traffic sent through
// OTLP, and Debian's chromium driven by playwright-core.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { importCatalog } from '@plexus/catalog';
import { startTestPlexus, type TestPlexus } from '../harness.ts';
import { ensureUiBuilt } from '../../cli/src/ui-build.ts';
import { runDemo } from '../../cli/src/demo/run-demo.ts';
import { DEMO_CATALOG } from '../../cli/src/demo/demo-catalog.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** A running demo Plexus and a browser page on it. */
export interface DemoBrowser {
  px: TestPlexus;
  browser: Browser;
  page: Page;
  /** Saves a screenshot to test-results/; one the README shows also to docs/screenshots/ when PLEXUS_UPDATE_SCREENSHOTS=1. */
  screenshot(name: string, opts?: { readme?: boolean; fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Starts Plexus with the demo's catalog and traffic (`env` for Plexus, e.g. tokens), then chromium. */
export async function startDemoBrowser(opts: { viewport?: { width: number; height: number }; env?: Record<string, string> } = {}): Promise<DemoBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  ensureUiBuilt(() => {});
  mkdirSync(ARTIFACTS, { recursive: true });
  const px = await startTestPlexus(opts.env);
  let browser: Browser | undefined;
  try {
    await importCatalog(px.store, [DEMO_CATALOG]);
    const token = opts.env?.PLEXUS_ADMIN_TOKEN;
    await runDemo({ endpoint: px.otlpUrl, backfillMinutes: 4, durationSeconds: 0, seed: 7, log: () => {}, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    await px.recompute();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
    const b = browser;
    return {
      px, browser: b, page,
      async screenshot(name, o = {}) {
        await page.screenshot({ path: `${ARTIFACTS}${name}`, fullPage: o.fullPage ?? false });
        if (o.readme && process.env.PLEXUS_UPDATE_SCREENSHOTS === '1') copyFileSync(`${ARTIFACTS}${name}`, `${SCREENSHOTS}${name}`);
      },
      async close() {
        await b.close();
        await px.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await px.close();
    throw err;
  }
}
