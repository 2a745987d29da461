import type { Page } from '@playwright/test';

/** What went wrong on a page: console errors, uncaught errors, failed or foreign requests, CSP. */
export interface PageWatch {
  problems: string[];
  foreignRequests: string[];
  /** CSP violations reported to the page (read after the page has settled). */
  cspViolations: () => Promise<string[]>;
}

declare global {
  interface Window {
    __ttCspViolations?: string[];
  }
}

/** Call before page.goto: records everything that should never happen on a clean load. */
export async function watchPage(page: Page, baseURL: string): Promise<PageWatch> {
  const origin = new URL(baseURL).origin;
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.addInitScript(() => {
    window.__ttCspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__ttCspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });

  return {
    problems,
    foreignRequests,
    cspViolations: () => page.evaluate(() => window.__ttCspViolations ?? []),
  };
}

/** Waits until the title screen's first frame is drawn (set by BootScene via src/main.ts). */
export async function waitForGame(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__ttReady === true && document.body.dataset.ttReady === 'true');
}
