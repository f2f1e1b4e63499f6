import type { Browser, BrowserContext, Page } from 'playwright-core';
import { UI_TIMEOUT, expectVisible, launchChromium } from '../harness/browser';
import {
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  waitFor,
  type Session,
} from '../harness/client';
import { createRoom, join } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';

// The web client's search box, unread title, mention highlight and notifications, in Chromium.
jest.setTimeout(180_000);

describe('web client: search, title count, notifications (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: Session;
  let bob: Session;
  let roomA: string;
  let roomB: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    const [g0, g1] = stack.gatewayUrls;
    [alice, bob] = await Promise.all([registerAndLogin(g0, 'alice'), registerAndLogin(g1, 'bob')]);
    roomA = (await createRoom(g0, alice.token, 'browse-a', 'private', [bob.user.username])).id;
    roomB = (await createRoom(g0, alice.token, 'browse-b', 'private', [bob.user.username])).id;
    browser = await launchChromium();
    // Notifications allowed, and a page that can be made "hidden" and records what it notified.
    context = await browser.newContext({
      baseURL: g1,
      viewport: { width: 1280, height: 800 },
      permissions: ['notifications'],
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    await context.addInitScript({
      content: `
        window.__hidden = false;
        window.__notes = [];
        Object.defineProperty(document, 'hidden', { get: () => window.__hidden });
        const Real = window.Notification;
        window.Notification = class extends Real {
          constructor(title, options) {
            super(title, options);
            window.__notes.push(title);
          }
        };
      `,
    });
    page = await context.newPage();
    await page.goto(`/#room=${roomA}`);
    await page.getByLabel('Username').fill(bob.user.username);
    await page.getByLabel('Password').fill(bob.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Connected' }));
    await expectVisible(page.getByRole('heading', { name: 'browse-a', level: 1 }));
  });

  afterAll(async () => {
    closeAllSockets();
    await browser?.close();
    await stack?.stop();
  });

  it('counts unread messages of other rooms in the title', async () => {
    const sa = await connectSocket(stack.gatewayUrls[0], alice.token);
    await join(sa, roomB);
    for (const body of ['one', 'two']) {
      expect((await emitAck(sa, 'message:send', { roomId: roomB, clientMsgId: newClientMsgId(), body })).ok).toBe(true);
    }
    await waitFor(
      async () => (await page.title()) === '(2) browse-a – Chat',
      UI_TIMEOUT,
      'title "(2) browse-a – Chat"',
    );
    await page.getByRole('button', { name: /browse-b/ }).click();
    await waitFor(async () => (await page.title()) === 'browse-b – Chat', UI_TIMEOUT, 'title without a count');
  });

  it('finds a message with the search box, marks the words, and opens the room at it', async () => {
    const word = `needle${Date.now().toString(36)}`;
    const sa = await connectSocket(stack.gatewayUrls[0], alice.token);
    await join(sa, roomA);
    const ack = await emitAck(sa, 'message:send', {
      roomId: roomA,
      clientMsgId: newClientMsgId(),
      body: `find the ${word} here`,
    });
    // Searchable within a second or so (the index is fed through JetStream).
    await waitFor(
      async () =>
        (await api(stack.gatewayUrls[1]).get(`/api/search?q=${word}`, { token: bob.token })).body.results?.length === 1,
      5000,
      'indexed',
    );
    await page.getByLabel('Search messages').fill(word.toUpperCase());
    await page.getByLabel('Search messages').press('Enter');
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button');
    await expectVisible(hit);
    expect(await hit.locator('mark').innerText()).toBe(word);
    await hit.click();
    await expectVisible(page.getByRole('heading', { name: 'browse-a', level: 1 }));
    await expectVisible(page.locator(`li.found[data-seq="${ack.message.seq}"]`));
  });

  it('notifies a mention or a DM only while the tab is hidden', async () => {
    const sa = await connectSocket(stack.gatewayUrls[0], alice.token);
    await join(sa, roomA);
    const send = async (body: string) =>
      expect((await emitAck(sa, 'message:send', { roomId: roomA, clientMsgId: newClientMsgId(), body })).ok).toBe(true);
    await send(`visible @${bob.user.username}`);
    await page.evaluate('window.__hidden = true');
    await send(`hidden @${bob.user.username}`);
    await send('hidden, no mention');
    await waitFor(
      async () => (await page.evaluate<string[]>('window.__notes')).length > 0,
      UI_TIMEOUT,
      'a notification',
    );
    const notes = await page.evaluate<string[]>('window.__notes');
    expect(notes).toEqual([`${alice.user.username} mentioned you in browse-a`]);

    const dm = await api(stack.gatewayUrls[0]).post('/api/dm', { username: bob.user.username }, { token: alice.token });
    await join(sa, dm.body.room.id);
    expect(
      (await emitAck(sa, 'message:send', { roomId: dm.body.room.id, clientMsgId: newClientMsgId(), body: 'psst' })).ok,
    ).toBe(true);
    await waitFor(
      async () => (await page.evaluate<string[]>('window.__notes')).length === 2,
      UI_TIMEOUT,
      'the DM notified',
    );
    expect((await page.evaluate<string[]>('window.__notes'))[1]).toBe(alice.user.username);
  });

  it('offers the room members on "@", and picks one with the keyboard', async () => {
    await page.getByRole('button', { name: /browse-a/ }).click();
    await expectVisible(page.getByRole('heading', { name: 'browse-a', level: 1 }));
    const box = page.getByLabel('Message', { exact: true });
    await box.fill('');
    await box.pressSequentially(`hi @${alice.user.username.slice(0, 4)}`);
    const options = page.getByRole('listbox', { name: 'Mention a member' }).getByRole('option');
    await expectVisible(options.first());
    expect(await options.allInnerTexts()).toContain(`@${alice.user.username}`);
    const index = (await options.allInnerTexts()).indexOf(`@${alice.user.username}`);
    for (let i = 0; i < index; i++) await box.press('ArrowDown');
    await box.press('Enter');
    expect(await box.inputValue()).toBe(`hi @${alice.user.username} `);
    await box.pressSequentially('there');
    await box.press('Enter');
    const sent = page
      .getByRole('log')
      .locator('li[data-seq]')
      .filter({ hasText: `@${alice.user.username} there` });
    await expectVisible(sent.locator('.mention'));
  });

  it("separates days, and marks where a room's unread messages begin", async () => {
    const sa = await connectSocket(stack.gatewayUrls[0], alice.token);
    await join(sa, roomB);
    const first = await emitAck(sa, 'message:send', {
      roomId: roomB,
      clientMsgId: newClientMsgId(),
      body: 'unread one',
    });
    await emitAck(sa, 'message:send', { roomId: roomB, clientMsgId: newClientMsgId(), body: 'unread two' });
    // Open the room afresh (a reload), so the view starts from the server's unread count.
    await page.goto(`/#room=${roomB}`);
    await expectVisible(page.getByRole('heading', { name: 'browse-b', level: 1 }));
    const log = page.getByRole('log');
    await expectVisible(log.locator('li.separator.day'));
    const divider = log.locator('li.separator.new');
    await expectVisible(divider);
    expect(await divider.innerText()).toBe('New messages');
    // The divider comes right before the first unread message.
    const next = await divider.evaluate((el) => el.nextElementSibling?.getAttribute('data-seq'));
    expect(Number(next)).toBe(first.message.seq);
  });

  it('mutes a room: no notification, no count in the title', async () => {
    await page.goto(`/#room=${roomB}`);
    await expectVisible(page.getByRole('heading', { name: 'browse-b', level: 1 }));
    await page.getByRole('button', { name: /browse-a/ }).click();
    const mute = page.getByRole('button', { name: 'Mute' });
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: /browse-b/ }).click();
    await expectVisible(page.getByRole('heading', { name: 'browse-b', level: 1 }));
    const before = (await page.evaluate<string[]>('window.__notes')).length;
    const titleBefore = await page.title();
    await page.evaluate('window.__hidden = true');
    const sa = await connectSocket(stack.gatewayUrls[0], alice.token);
    await join(sa, roomA);
    const ack = await emitAck(sa, 'message:send', {
      roomId: roomA,
      clientMsgId: newClientMsgId(),
      body: `muted @${bob.user.username}`,
    });
    expect(ack.ok).toBe(true);
    // The message reached the page (its room's badge), yet nothing notified and the title kept its count.
    await expectVisible(page.getByRole('button', { name: /browse-a/ }).locator('.badge'));
    await new Promise((r) => setTimeout(r, 500));
    expect((await page.evaluate<string[]>('window.__notes')).length).toBe(before);
    expect(await page.title()).toBe(titleBefore);
  });
});
