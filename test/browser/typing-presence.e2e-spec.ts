import type { Browser } from 'playwright-core';
import { UI_TIMEOUT, expectVisible, launchChromium, openSignedIn } from '../harness/browser';
import { api, registerAndLogin, type Session } from '../harness/client';
import { startStack, type Stack } from '../harness/stack';

const PASSWORD = 'correct horse battery';

jest.setTimeout(120_000);

// The web client's typing line and online dot, with two people in one direct chat on two gateways.
describe('web client typing and presence (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: Session;
  let bob: Session;
  let dmId: string;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    browser = await launchChromium();
    [alice, bob] = await Promise.all([
      registerAndLogin(stack.gatewayUrls[0], 'tpAlice', PASSWORD),
      registerAndLogin(stack.gatewayUrls[1], 'tpBob', PASSWORD),
    ]);
    const dm = await api(stack.gatewayUrls[0]).post('/api/dm', { username: bob.user.username }, { token: alice.token });
    dmId = dm.body.room.id;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the peer online, "… is typing…" while they type, and offline once they leave', async () => {
    const a = await openSignedIn(
      browser,
      stack.gatewayUrls[0],
      { username: alice.user.username, password: PASSWORD },
      dmId,
    );
    const b = await openSignedIn(
      browser,
      stack.gatewayUrls[1],
      { username: bob.user.username, password: PASSWORD },
      dmId,
    );
    const dmOnA = a.page.getByRole('region', { name: 'Direct chats' }).getByRole('button', { name: bob.user.username });
    await expectVisible(dmOnA.locator('.presence-dot'));
    await dmOnA.click();
    await expectVisible(a.page.getByText('Direct chat · online'));

    await b.page.getByRole('button', { name: alice.user.username }).click();
    const composer = b.page.getByLabel('Message', { exact: true });
    await composer.pressSequentially('hel');
    const typingLine = a.page.locator('[aria-live="polite"]').filter({ hasText: `${bob.user.username} is typing…` });
    await expectVisible(typingLine);
    await composer.fill('');
    await composer.press('Backspace'); // an input event on the emptied composer
    await typingLine.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    await b.context.close();
    await expectVisible(a.page.getByText('Direct chat · offline'));
    expect(await dmOnA.locator('.presence-dot').count()).toBe(0);
    await a.context.close();
  });
});
