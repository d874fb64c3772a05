import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's headless Chromium (tools/browser.sh installs it) with the flags this machine's closed
 * network needs; Playwright gives each launch a fresh, empty profile directory.
 */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...chromiumFlags],
  });
}

/** The phone and desktop sizes the screenshots and layout checks use. */
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
  narrowest: { width: 360, height: 740 },
} as const;

/**
 * Polls a JavaScript expression in the page until it is truthy. page.waitForFunction would
 * evaluate a string with eval, which the app's Content-Security-Policy forbids; evaluate does not.
 */
export async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
