import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Which Chromium the browser tests drive. Order: CHROMIUM_PATH; a system Chromium or Chrome; then the
// Chromium that @sparticuz/chromium carries inside its npm package (Linux x64 only), so `npm test`
// passes on a machine with no browser installed and nothing is downloaded at run time.
// SWITCHBOARD_BROWSER=registry skips the system browsers (CI runs the browser tests that way once).

/** Flags every launch uses: headless, and no background connections to Google's hosts. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SYSTEM_BROWSERS: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

/** Where the browser came from, for test output. */
export type BrowserSource = 'CHROMIUM_PATH' | 'system' | 'npm registry (@sparticuz/chromium)';

let found: Promise<{ executablePath: string; source: BrowserSource }> | undefined;

/** Finds a Chromium executable, in the order described above; throws saying what to install when none fits. */
export function findChromium(): Promise<{ executablePath: string; source: BrowserSource }> {
  found ??= (async () => {
    if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' as const };
    if (process.env.SWITCHBOARD_BROWSER !== 'registry') {
      const system = (SYSTEM_BROWSERS[process.platform] ?? []).find((p) => fs.existsSync(p));
      if (system) return { executablePath: system, source: 'system' as const };
    }
    if (process.platform === 'linux' && process.arch === 'x64') {
      // Unpacks the Brotli-compressed browser shipped in the package into the temp folder once.
      const { default: packaged } = await import('@sparticuz/chromium');
      return { executablePath: await packaged.executablePath(), source: 'npm registry (@sparticuz/chromium)' as const };
    }
    throw new Error(
      `No Chromium found for the browser tests on ${process.platform}/${process.arch}: install Google Chrome or Chromium, or set CHROMIUM_PATH to its executable.`,
    );
  })();
  return found;
}

/** Launches headless Chromium for a browser test. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath } = await findChromium();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * Collects the page's console errors and uncaught exceptions (a CSP violation or a React warning shows
 * up there), so a test can assert that the page ran clean.
 * @param page the page to watch
 * @returns the list, filled as problems happen
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // Chromium asks every origin for /favicon.ico; none of the servers under test serves one.
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) problems.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}
