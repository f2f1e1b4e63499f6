import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM_PATH, CHROMIUM_ARGS } = require('../../scripts/lib/provision.cjs') as {
  CHROMIUM_PATH: string;
  CHROMIUM_ARGS: string[];
};

export const UI_TIMEOUT = 20_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Waits until the locator shows; on failure, a screenshot of what the page showed instead. */
export async function expectVisible(locator: Locator): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  } catch (err) {
    const shot = join(mkdtempSync(join(tmpdir(), 'chat-browser-')), 'failure.png');
    await locator.page().screenshot({ path: shot });
    throw new Error(`${(err as Error).message}\nscreenshot: ${shot}`);
  }
  expect(await locator.count()).toBeGreaterThan(0);
}

/**
 * A fresh browser context on `baseURL`, logged in through the log-in page as `username`, with the
 * room `roomId` open (the client keeps the open room in the URL hash). Resolves once connected.
 */
export async function openSignedIn(
  browser: Browser,
  baseURL: string,
  credentials: { username: string; password: string },
  roomId: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  await page.goto(`/#room=${roomId}`);
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Connected' }));
  return { context, page };
}
