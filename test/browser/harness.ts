// One served page in one headless Chromium per test file: the demo and test pages bundled by the
// demo's own server (examples/web/serve.ts), the PyTorch fixtures served under /fixtures/.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../examples/web/chromium.ts';
import { repoRoot, serveWeb, type WebServer } from '../../examples/web/serve.ts';

/** A page of the test server and how to close everything. */
export interface TestPage {
  readonly page: Page;
  /** Page errors and console errors seen so far (tests assert there are none). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Options of {@link openTestPage}. */
export interface TestPageOptions {
  /** Path and query to open, e.g. `?backend=webgpu` (the demo) or `test/oracle.html`. */
  readonly path: string;
  /** Serve with COOP/COEP headers. Default false: an ordinary page. */
  readonly crossOriginIsolated?: boolean;
}

/**
 * Serves the demo and test pages, opens `path` in a fresh headless Chromium.
 *
 * @example
 * ```ts
 * const t = await openTestPage({ path: '?backend=webgpu' });
 * await t.close();
 * ```
 */
export async function openTestPage(options: TestPageOptions): Promise<TestPage> {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await serveWeb({
      entries: { '/demo.js': 'examples/web/main.ts', '/oracle.js': 'test/browser/pages/oracle.ts', '/device.js': 'test/browser/pages/device.ts' },
      folders: { '/fixtures/': join(repoRoot, 'test/fixtures'), '/test/': join(repoRoot, 'test/browser/pages') },
      crossOriginIsolated: options.crossOriginIsolated ?? false,
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(server.url + options.path);
    const s = server;
    const b = browser;
    return {
      page,
      errors,
      close: async () => {
        await b.close();
        await s.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await server?.close();
    throw err;
  }
}
