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
  /** Use the machine's GPU (ANGLE on Vulkan) instead of SwiftShader. Default false. */
  readonly gpu?: boolean;
}

// The packaged Chromium's own switches, less those that would change what a page may do (a
// SharedArrayBuffer without cross-origin isolation, no same-origin policy) and, on a real GPU,
// the ones that force SwiftShader.
// --single-process is dropped too: a page's WebAssembly memories then share the browser's address space.
const notForPages = ['--enable-features=SharedArrayBuffer', '--disable-web-security', '--allow-running-insecure-content', '--single-process'];
const softwareGpu = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--in-process-gpu'];
const gpuSwitches = ['--use-angle=vulkan', '--enable-features=Vulkan,VulkanFromANGLE', '--ignore-gpu-blocklist'];

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
  const own = options.executablePath ?? process.env['CANOPY_CHROMIUM'];
  const executablePath = own ?? (await sparticuz.executablePath());
  const drop = [...notForPages, ...(options.gpu === true ? softwareGpu : [])];
  const base = own === undefined ? sparticuz.args.filter((a) => !drop.includes(a)) : ['--no-sandbox'];
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...base, '--enable-unsafe-webgpu', ...(options.gpu === true ? gpuSwitches : []), ...(options.args ?? [])],
  });
}
