// Headless Chromium for the page tests: the Debian browser through playwright-core, and a page watcher
// that collects console errors and uncaught exceptions (a CSP violation or a React warning shows up
// there), so each test can assert that a page ran clean.
import { chromium, type Browser, type Page } from 'playwright-core';

/** Launches the system Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`) headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Collects the page's console errors and uncaught exceptions.
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
