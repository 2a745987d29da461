import type { LaunchOptions } from '@playwright/test';

/** The system Chromium: $CHROMIUM_PATH, else /usr/bin/chromium (never a Playwright download). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Quiet, offline-friendly flags; --no-sandbox because CI runs as root. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--no-sandbox',
];

export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] };
}
