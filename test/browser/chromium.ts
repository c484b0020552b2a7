/**
 * Debian's Chromium, headless through playwright-core, with WebGPU on SwiftShader (Vulkan on the
 * CPU) where there is no GPU. Without Chromium the browser tests are skipped with a loud warning;
 * under CI they fail instead.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * WebGPU in headless Chromium on a CPU-only Linux machine. `--enable-unsafe-webgpu` is what
 * exposes an adapter there (without it navigator.gpu exists but requestAdapter() answers null);
 * the rest pin SwiftShader (Vulkan for WebGPU, ANGLE for WebGL) so a real GPU, when present,
 * does not make runs behave differently, and keep Chromium off the network (there is none).
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
];

/** Says whether the browser tests can run here; warns loudly (or throws under CI) when not. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const problem = `no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH.`;
  if (process.env.CI) throw new Error(`\n\n!!! BROWSER TESTS CANNOT RUN under CI: ${problem}\n`);
  console.warn(`\n\n!!! BROWSER TESTS SKIPPED: ${problem}\n`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
