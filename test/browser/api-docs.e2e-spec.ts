import type { Browser } from 'playwright-core';
import { AppProcess, spawnApp } from '../harness/app-process';
import { expectVisible, launchChromium } from '../harness/browser';
import { api, waitFor } from '../harness/client';
import { infra, startPrivateNats, type PrivateNats } from '../harness/infra';

jest.setTimeout(120_000);

// Swagger UI in Chromium, under the gateway's real headers: it renders every operation of the
// document, loads nothing from elsewhere, and the CSP refuses nothing it needs.
describe('API docs page (browser)', () => {
  let nats: PrivateNats;
  let gateway: AppProcess;
  let gw: string;
  let browser: Browser;

  beforeAll(async () => {
    // The page needs the gateway alone: no service answers for it.
    nats = await startPrivateNats();
    const port = await infra.provision.freePort();
    gateway = spawnApp('gateway', { NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1' });
    gw = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${gw}/healthz`).catch(() => undefined))?.status === 200,
      30_000,
      'the gateway up',
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await nats?.stop();
  });

  it('renders every operation of /api/docs-json with no CSP violation and no request elsewhere', async () => {
    const doc = (await api(gw).get('/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBeGreaterThanOrEqual(18);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Page scripts as text: this project's type check has no DOM.
    await page.addInitScript({
      content:
        'window.cspViolations = []; document.addEventListener("securitypolicyviolation", ' +
        '(e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));',
    });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const elsewhere: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin !== gw && url.protocol !== 'data:') elsewhere.push(req.url());
    });

    await page.goto(`${gw}/api/docs`);
    await expectVisible(page.getByRole('heading', { name: /chat-backbone HTTP API/ }));
    await waitFor(async () => (await page.locator('.opblock').count()) === operations, 20_000, 'every operation shown');
    await expectVisible(page.locator('.opblock-summary-path', { hasText: '/api/rooms/{id}/messages' }));

    // Opening an operation shows its documented answers, error codes included.
    await page.locator('.opblock-summary', { hasText: '/api/auth/register' }).first().click();
    await expectVisible(page.locator('.responses-table').getByText('409', { exact: true }));

    const violations = await page.evaluate<string[]>('window.cspViolations');
    expect({ violations, problems, elsewhere }).toEqual({ violations: [], problems: [], elsewhere: [] });
    await context.close();
  });
});
