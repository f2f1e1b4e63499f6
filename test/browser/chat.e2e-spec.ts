import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { UI_TIMEOUT, expectVisible, launchChromium } from '../harness/browser';
import { api, closeAllSockets, connectSocket, emitAck, registerAndLogin, uniqueName, waitFor } from '../harness/client';
import { startStack, type Stack } from '../harness/stack';

// Two real users in Debian's chromium, each on a different gateway of one stack, driving the web
// client only through what a person sees: labels, button names, the message log.
const PASSWORD = 'correct horse battery';
const HISTORY_SIZE = 120;

jest.setTimeout(240_000);

interface User {
  username: string;
  context: BrowserContext;
  page: Page;
  /** Dialogs the page opened (an executed `alert` would land here). */
  dialogs: string[];
}

describe('web client (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let a: User;
  let b: User;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    browser = await launchChromium();
    a = await openUser(browser, stack.gatewayUrls[0], 'alice');
    b = await openUser(browser, stack.gatewayUrls[1], 'bob');
  });

  afterAll(async () => {
    closeAllSockets();
    await browser?.close();
    await stack?.stop();
  });

  const messages = (user: User): Locator => user.page.getByRole('log');
  /** Stored messages carry their seq; unacknowledged ones are not counted. */
  const stored = (user: User, text: string): Locator =>
    messages(user).locator('li[data-seq]').filter({ hasText: text });

  it('registers both users through the log-in page, which signs them in', async () => {
    await register(a);
    await register(b);
    for (const user of [a, b]) {
      await expectVisible(user.page.getByRole('button', { name: 'general', exact: true }));
      await expectVisible(user.page.getByRole('status').filter({ hasText: 'Connected' }));
    }
  });

  it('shows the contract error when a username is taken', async () => {
    const other = await openUser(browser, stack.gatewayUrls[0], 'other');
    try {
      await other.page.getByLabel('Username').fill(a.username.toUpperCase());
      await other.page.getByLabel('Password').fill(PASSWORD);
      await other.page.getByRole('button', { name: 'Register' }).click();
      const taken = await api(stack.gatewayUrls[0]).post('/api/auth/register', {
        username: a.username,
        password: PASSWORD,
      });
      expect(taken.body.error.code).toBe('USERNAME_TAKEN');
      await expectVisible(other.page.getByRole('alert').filter({ hasText: taken.body.error.message }));
      expect(await other.page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
    } finally {
      await other.context.close();
    }
  });

  it('delivers messages across gateways, once each, in both directions', async () => {
    await openGeneral(a);
    await openGeneral(b);

    const hello = `hello from ${a.username}`;
    await a.page.getByLabel('Message', { exact: true }).fill(hello);
    await a.page.getByLabel('Message', { exact: true }).press('Enter');
    await expectVisible(stored(b, hello));
    await expectVisible(stored(a, hello));
    expect(await a.page.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    const reply = `reply from ${b.username}`;
    await b.page.getByLabel('Message', { exact: true }).fill(reply);
    await b.page.getByRole('button', { name: 'Send' }).click();
    await expectVisible(stored(a, reply));
    await expectVisible(stored(b, reply));

    for (const user of [a, b]) {
      expect(await stored(user, hello).count()).toBe(1);
      expect(await stored(user, reply).count()).toBe(1);
      const seqs = await seqsOf(user, [hello, reply]);
      expect(seqs[1]).toBe(seqs[0] + 1);
    }
  });

  it('sends a newline with Shift+Enter and keeps it in the message', async () => {
    const box = a.page.getByLabel('Message', { exact: true });
    const first = `first line ${Date.now()}`;
    await box.fill(first);
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    expect(await box.inputValue()).toBe(`${first}\nsecond line`);
    await box.press('Enter');
    const shown = stored(b, first);
    await expectVisible(shown);
    expect(await shown.locator('.body').innerText()).toBe(`${first}\nsecond line`);
  });

  it('shows markup in a message as literal text', async () => {
    const hostile = `<img src=x onerror=alert(1)> ${Date.now()}`;
    await a.page.getByLabel('Message', { exact: true }).fill(hostile);
    await a.page.getByRole('button', { name: 'Send' }).click();
    for (const user of [b, a]) {
      await expectVisible(messages(user).getByText(hostile, { exact: true }));
      expect(await messages(user).locator('img').count()).toBe(0);
      expect(user.dialogs).toEqual([]);
    }
  });

  it('renders the markdown subset and safe links; script, javascript: links and link tricks stay inert', async () => {
    const tag = Date.now().toString(36);
    const body = [
      `**bold${tag}** _italic${tag}_ \`code${tag}\` see https://example.com/${tag} and [site](https://example.org/${tag})`,
      `[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) <a href="javascript:alert(2)">raw</a>`,
      `<img src=x onerror=alert(3)> <script>alert(4)</script> [x](vbscript:msgbox) <b>not bold</b>`,
      '> quoted line',
      '```',
      `<i>block${tag}</i>`,
      '```',
    ].join('\n');
    await a.page.getByLabel('Message', { exact: true }).fill(body);
    await a.page.getByRole('button', { name: 'Send' }).click();
    for (const user of [b, a]) {
      const item = stored(user, `bold${tag}`);
      await expectVisible(item);
      expect(await item.locator('strong').innerText()).toBe(`bold${tag}`);
      expect(await item.locator('em').innerText()).toBe(`italic${tag}`);
      expect(await item.locator('p code').innerText()).toBe(`code${tag}`);
      expect(await item.locator('blockquote').innerText()).toContain('quoted line');
      expect((await item.locator('pre code').innerText()).trim()).toBe(`<i>block${tag}</i>`);
      const links = await item.locator('a').evaluateAll((as) =>
        as.map((el) => ({
          href: el.getAttribute('href'),
          target: el.getAttribute('target'),
          rel: el.getAttribute('rel'),
        })),
      );
      expect(links).toEqual([
        { href: `https://example.com/${tag}`, target: '_blank', rel: 'noopener noreferrer' },
        { href: `https://example.org/${tag}`, target: '_blank', rel: 'noopener noreferrer' },
      ]);
      // Nothing a user typed became an element: no image, script, raw <a>, <b> or <i>.
      expect(await item.locator('img, script, b, i, iframe').count()).toBe(0);
      expect(await item.innerText()).toContain('<b>not bold</b>');
      expect(await item.innerText()).toContain('[click](javascript:alert(1))');
      expect(user.dialogs).toEqual([]);
    }
  });

  it('marks mentions, those of the reader most, and shows the attach icon as an SVG', async () => {
    const text = `ping @${b.username} and @${a.username} ${Date.now()}`;
    await a.page.getByLabel('Message', { exact: true }).fill(text);
    await a.page.getByRole('button', { name: 'Send' }).click();
    const onB = stored(b, text.slice(-8));
    await expectVisible(onB);
    expect(await onB.locator('.mention').allInnerTexts()).toEqual([`@${b.username}`, `@${a.username}`]);
    expect(await onB.locator('.mention-me').innerText()).toBe(`@${b.username}`);
    expect(await onB.getAttribute('class')).toContain('mentions-me');
    expect(await stored(a, text.slice(-8)).locator('.mention-me').innerText()).toBe(`@${a.username}`);
    expect(await a.page.getByRole('button', { name: 'Attach file' }).locator('svg').count()).toBe(1);
  });

  it('edits and deletes one of my messages; the other user sees "(edited)", then "message deleted"', async () => {
    const original = `typo heer ${Date.now()}`;
    const fixed = `typo here ${Date.now()}`;
    await a.page.getByLabel('Message', { exact: true }).fill(original);
    await a.page.getByLabel('Message', { exact: true }).press('Enter');
    await expectVisible(stored(b, original));
    expect(await stored(b, original).getByRole('button', { name: 'Edit' }).count()).toBe(0);

    // While the editor is open the text is in a textarea: find the message by its seq.
    const seq = await stored(a, original).getAttribute('data-seq');
    const mine = messages(a).locator(`li[data-seq="${seq}"]`);
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Edit message').fill(fixed);
    await mine.getByLabel('Edit message').press('Enter');
    const edited = stored(b, fixed);
    await expectVisible(edited.getByText('(edited)'));
    expect(await stored(b, original).count()).toBe(0);
    await expectVisible(stored(a, fixed).getByText('(edited)'));

    await stored(a, fixed).getByRole('button', { name: 'Delete' }).click();
    for (const user of [b, a]) {
      const tombstone = messages(user).locator(`li[data-seq="${seq}"]`);
      await expectVisible(tombstone.getByText('message deleted'));
      expect(await tombstone.getByText(fixed).count()).toBe(0);
    }
  });

  it('logs out: back to the log-in page, and the old session is refused on every gateway', async () => {
    const [oldSid] = (await a.context.cookies()).filter((c) => c.name === 'sid');
    expect(oldSid?.value).toBeTruthy();

    await a.page.getByRole('button', { name: 'Log out' }).click();
    await expectVisible(a.page.getByLabel('Username'));
    await expectVisible(a.page.getByRole('button', { name: 'Log in' }));

    const meFromPage = await a.page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
    expect(meFromPage).toBe(401);
    for (const url of stack.gatewayUrls) {
      const res = await api(url).get('/api/auth/me', { cookie: `sid=${oldSid.value}` });
      expect(res.status).toBe(401);
    }
  });

  it('logs back in and shows the history in order', async () => {
    await a.page.getByLabel('Username').fill(a.username);
    await a.page.getByLabel('Password').fill(PASSWORD);
    await a.page.getByRole('button', { name: 'Log in' }).click();
    await openGeneral(a);

    const hello = `hello from ${a.username}`;
    const reply = `reply from ${b.username}`;
    await expectVisible(stored(a, reply));
    const seqs = await messages(a)
      .locator('li[data-seq]')
      .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    const [helloSeq, replySeq] = await seqsOf(a, [hello, reply]);
    expect(replySeq).toBe(helloSeq + 1);
  });

  it('pages older history in as the reader scrolls up, in seq order', async () => {
    const seeder = await registerAndLogin(stack.gatewayUrls[1], 'seeder', PASSWORD);
    const roomName = uniqueName('history');
    const created = await api(stack.gatewayUrls[1]).post(
      '/api/rooms',
      { name: roomName, kind: 'public' },
      { token: seeder.token },
    );
    expect(created.status).toBe(201);
    const roomId: string = created.body.room.id;
    const socket = await connectSocket(stack.gatewayUrls[1], seeder.token);
    for (let i = 1; i <= HISTORY_SIZE; i++) {
      const ack = await emitAck(socket, 'message:send', { roomId, clientMsgId: `seed-${i}`, body: `seeded ${i}` });
      expect(ack.ok).toBe(true);
    }
    socket.close();

    await a.page.reload();
    await a.page.getByRole('button', { name: roomName, exact: true }).click();
    const items = messages(a).locator('li[data-seq]');
    await expectVisible(stored(a, `seeded ${HISTORY_SIZE}`));
    expect(await items.count()).toBe(50);

    // Scrolling to the top pages older messages in (the button is the keyboard path to the same).
    await waitFor(
      async () => {
        await messages(a).evaluate((el) => el.scrollTo(0, 0));
        return (await items.count()) === HISTORY_SIZE;
      },
      UI_TIMEOUT,
      'all history paged in',
    );
    const seqs = await items.evaluateAll((els) => els.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual(Array.from({ length: HISTORY_SIZE }, (_, i) => i + 1));
    await expect(a.page.getByRole('button', { name: 'Load older messages' }).isVisible()).resolves.toBe(false);
  });

  it('creates a private room, adds a member, and opens a direct chat', async () => {
    const secret = uniqueName('secret');
    await a.page.getByLabel('Room name').fill(secret);
    await a.page.getByLabel('Visibility').selectOption('private');
    await a.page.getByRole('button', { name: 'Create room' }).click();
    await expectVisible(a.page.getByRole('heading', { name: secret, level: 1 }));
    await a.page.getByLabel('Add member').fill(b.username);
    await a.page.getByRole('button', { name: 'Add', exact: true }).click();
    await expectVisible(a.page.getByText(`${b.username} was added.`));
    // B's list shows the room as soon as B is added (room:added), before any message.
    const room = b.page.getByRole('button', { name: secret, exact: true });
    await expectVisible(room);
    await a.page.getByLabel('Message', { exact: true }).fill('for members only');
    await a.page.getByLabel('Message', { exact: true }).press('Enter');

    // The first message marks it unread, and B can read it.
    await expectVisible(room.locator('.badge').filter({ hasText: '1' }));
    await room.click();
    await expectVisible(stored(b, 'for members only'));

    await b.page.getByLabel('Chat with').fill(a.username);
    await b.page.getByRole('button', { name: 'Start chat' }).click();
    await expectVisible(b.page.getByRole('heading', { name: a.username, level: 1 }));
    await b.page.getByLabel('Message', { exact: true }).fill('just between us');
    await b.page.getByRole('button', { name: 'Send' }).click();
    const dm = a.page.getByRole('region', { name: 'Direct chats' }).getByRole('button', { name: b.username });
    await expectVisible(dm);
    await dm.click();
    await expectVisible(stored(a, 'just between us'));
  });

  it('rejects a wrong password with the contract message', async () => {
    await b.page.getByRole('button', { name: 'Log out' }).click();
    await b.page.getByLabel('Username').fill(b.username);
    await b.page.getByLabel('Password').fill('not the password');
    await b.page.getByRole('button', { name: 'Log in' }).click();
    const refused = await api(stack.gatewayUrls[1]).post('/api/auth/login', {
      username: b.username,
      password: 'not the password either',
    });
    expect(refused.body.error.code).toBe('INVALID_CREDENTIALS');
    await expectVisible(b.page.getByRole('alert').filter({ hasText: refused.body.error.message }));
    expect(await b.page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
  });
});

async function openUser(browser: Browser, baseURL: string, prefix: string): Promise<User> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/');
  return { username: uniqueName(prefix), context, page, dialogs };
}

async function register(user: User): Promise<void> {
  await user.page.getByLabel('Username').fill(user.username);
  await user.page.getByLabel('Password').fill(PASSWORD);
  await user.page.getByRole('button', { name: 'Register' }).click();
  // Registering signs in at once.
  await expectVisible(user.page.getByRole('button', { name: 'Log out' }));
}

async function openGeneral(user: User): Promise<void> {
  await user.page.getByRole('button', { name: 'general', exact: true }).click();
  await expectVisible(user.page.getByRole('heading', { name: 'general', level: 1 }));
  await expectVisible(user.page.getByRole('status').filter({ hasText: 'Connected' }));
}

/** The seq of the one stored message holding each text, waiting until each is shown exactly once. */
async function seqsOf(user: User, texts: string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const text of texts) {
    const item = user.page.getByRole('log').locator('li[data-seq]').filter({ hasText: text });
    await waitFor(async () => (await item.count()) === 1, UI_TIMEOUT, `"${text}" shown once`);
    seqs.push(Number(await item.getAttribute('data-seq')));
  }
  return seqs;
}
