// A headless Chromium for the browser tests and the page bench: the binary shipped by the npm
// package @sparticuz/chromium (works offline), driven by playwright-core. WebGL2 runs on
// SwiftShader (a software GPU) with float render targets; WebGPU needs --enable-unsafe-webgpu.
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /** A Chromium to run instead of the packaged one (e.g. on a machine with a real GPU). */
  readonly executablePath?: string;
  /** Extra command-line switches. */
  readonly args?: readonly string[];
}

/**
 * Starts a headless Chromium with WebGPU enabled.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await browser.close();
 * ```
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? process.env['CANOPY_CHROMIUM'] ?? (await sparticuz.executablePath());
  const base = options.executablePath === undefined && process.env['CANOPY_CHROMIUM'] === undefined ? sparticuz.args : ['--no-sandbox'];
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...base, '--enable-unsafe-webgpu', '--enable-features=Vulkan', ...(options.args ?? [])],
  });
}
