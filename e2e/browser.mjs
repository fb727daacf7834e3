// What both browser tests share: the service under test, where screenshots go, and Debian's
// chromium under playwright-core (a fresh profile per launch; no browser is ever downloaded).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

/** The running service, always with a trailing slash so `new URL(path, BASE_URL)` resolves under it. */
export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/?$/, '/');
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('../target/e2e/', import.meta.url));
export const WAIT = { timeout: 15_000 };

/** A headless chromium context; close it with the returned `close()`, which also removes the profile. */
export async function launchBrowser(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), `${name}-profile-`));
  // Without the background-networking flags Chromium keeps dialling update and sync servers that
  // this machine cannot reach.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
