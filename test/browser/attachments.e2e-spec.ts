import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectVisible, launchChromium, openSignedIn } from '../harness/browser';
import { api, registerAndLogin, type Session } from '../harness/client';
import { startStack, type Stack } from '../harness/stack';

const PASSWORD = 'correct horse battery';
/** A 1×1 transparent PNG. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

jest.setTimeout(120_000);

// The web client's "Attach file": alice uploads on one gateway, bob sees the picture on the other.
describe('web client attachments (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: Session;
  let bob: Session;
  let roomId: string;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    browser = await launchChromium();
    [alice, bob] = await Promise.all([
      registerAndLogin(stack.gatewayUrls[0], 'atAlice', PASSWORD),
      registerAndLogin(stack.gatewayUrls[1], 'atBob', PASSWORD),
    ]);
    const http = api(stack.gatewayUrls[0]);
    const room = await http.post('/api/rooms', { name: 'pictures', kind: 'private' }, { token: alice.token });
    roomId = room.body.room.id;
    await http.post(`/api/rooms/${roomId}/members`, { username: bob.user.username }, { token: alice.token });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends a picked PNG without text; the other member sees the image, served as image/png', async () => {
    const a = await openPictures(stack.gatewayUrls[0], alice);
    const b = await openPictures(stack.gatewayUrls[1], bob);
    const name = `dot-${Date.now()}.png`;

    const chooser = a.page.waitForEvent('filechooser');
    await a.page.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name, mimeType: 'image/png', buffer: PNG_1X1 });

    const image = b.page.getByRole('log').locator('li[data-seq]').getByRole('img', { name });
    await expectVisible(image);
    expect(await image.getAttribute('alt')).toBe(name);
    const fetched = await b.page.evaluate(
      async (src) => {
        const res = await fetch(src, { credentials: 'same-origin' });
        return {
          status: res.status,
          type: res.headers.get('content-type'),
          size: (await res.arrayBuffer()).byteLength,
        };
      },
      (await image.getAttribute('src')) as string,
    );
    expect(fetched).toEqual({ status: 200, type: 'image/png', size: PNG_1X1.length });
    await image.evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    // Sent once, with an empty body, and shown on the sender's side too; the composer stays usable.
    await expectVisible(a.page.getByRole('log').getByRole('img', { name }));
    expect(await b.page.getByRole('log').getByRole('img', { name }).count()).toBe(1);
    expect(await a.page.getByRole('button', { name: 'Attach file' }).isEnabled()).toBe(true);
    await a.context.close();
    await b.context.close();
  });

  it('says why a file was refused (HTML is not an allowed type) and sends nothing', async () => {
    const a = await openPictures(stack.gatewayUrls[0], alice);
    const stored = a.page.getByRole('log').locator('li[data-seq]');
    await expectVisible(stored); // the first test's message, once history has loaded
    const before = await stored.count();
    await a.page.getByLabel('Attach file').setInputFiles({
      name: 'page.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<script>alert(1)</script>'),
    });
    await expectVisible(a.page.getByRole('status').filter({ hasText: 'page.html: That file type is not allowed.' }));
    expect(await stored.count()).toBe(before);
    expect(await a.page.getByRole('log').locator('li[data-client-msg-id]').count()).toBe(0);
    await a.context.close();
  });

  async function openPictures(baseURL: string, user: Session): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await openSignedIn(browser, baseURL, { username: user.user.username, password: PASSWORD }, roomId);
    await expectVisible(opened.page.getByRole('heading', { name: 'pictures', level: 1 }));
    return opened;
  }
});
