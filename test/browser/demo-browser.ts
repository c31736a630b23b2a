// What every browser test starts from: a real Plexus (temporary chDB) with the
// demo shop's catalog imported and a few minutes of its traffic sent through
// OTLP, and Debian's chromium driven by playwright-core.
import type { Browser, Page } from 'playwright-core';
import { importCatalog } from '@plexus/catalog';
import { startTestPlexus, type TestPlexus } from '../harness.ts';
import { ensureUiBuilt } from '../../cli/src/ui-build.ts';
import { runDemo } from '../../cli/src/demo/run-demo.ts';
import { DEMO_CATALOG } from '../../cli/src/demo/demo-catalog.ts';
import { requireChromium, launchChromium, saveScreenshot } from './chromium.ts';

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
  requireChromium();
  ensureUiBuilt(() => {});
  const px = await startTestPlexus(opts.env);
  let browser: Browser | undefined;
  try {
    await importCatalog(px.store, [DEMO_CATALOG]);
    const token = opts.env?.PLEXUS_ADMIN_TOKEN;
    await runDemo({ endpoint: px.otlpUrl, backfillMinutes: 4, durationSeconds: 0, seed: 7, log: () => {}, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    await px.recompute();
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
    const b = browser;
    return {
      px, browser: b, page,
      screenshot: (name, o) => saveScreenshot(page, name, o),
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
