#!/usr/bin/env node
// The browser's side of `npm run test:compose`, after compose-scenario.mjs: the web client in
// Debian's Chromium, through the entry proxy, with three gateways.
//   1. scale to 3 gateways; alice and bob register on the log-in page and open "general"; their
//      sockets are on two different gateways
//   2. they chat both ways
//   3. a gateway holding one of the two sockets is killed (SIGKILL, no drain); both keep typing
//   4. the client that lost its gateway reconnects through the proxy by itself and catches up:
//      each page shows every message exactly once, in seq order, and so does the stored history
// Environment (set by compose-test.sh): PROXY_PORT, COMPOSE_ENV_FILE, COMPOSE_PROJECT_NAME, SCALE.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import {
  BASE,
  api,
  check,
  compose,
  containersOf,
  logger,
  runMain,
  sh,
  socketsPerGateway,
  waitFor,
} from './scenario-lib.mjs';

const log = logger('browser');
const UI_TIMEOUT = 30_000;
const PASSWORD = 'correct horse battery';
// Debian's chromium, launched as the browser suite launches it.
const { CHROMIUM_PATH, CHROMIUM_ARGS } = createRequire(import.meta.url)('../../scripts/lib/provision.cjs');

async function openUser(browser, name) {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const user = { name, username: `${name}_${randomUUID().slice(0, 8)}`, context, page };
  await page.goto('/');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await openGeneral(user);
  return user;
}

async function openGeneral(user) {
  await user.page.getByRole('button', { name: 'general', exact: true }).click();
  await user.page.getByRole('heading', { name: 'general', level: 1 }).waitFor();
  await connected(user);
}

const connected = (user) => user.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

async function say(user, text) {
  const box = user.page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** The seq of every stored message the page shows, in page order, with its text. */
function shown(user) {
  return user.page
    .getByRole('log')
    .locator('li[data-seq]')
    .evaluateAll((items) => items.map((li) => ({ seq: Number(li.dataset.seq), text: li.textContent ?? '' })));
}

/** Waits until the page shows each text exactly once as a stored message; their seqs, in order. */
async function seen(user, texts, timeoutMs = UI_TIMEOUT) {
  return waitFor(
    `${user.name}'s page to show ${JSON.stringify(texts)} once each`,
    async () => {
      const items = await shown(user);
      const seqs = texts.map((t) => items.filter((i) => i.text.includes(t)).map((i) => i.seq));
      return seqs.every((s) => s.length === 1) ? seqs.map((s) => s[0]) : null;
    },
    timeoutMs,
    200,
  );
}

async function main() {
  const scale = (process.env.SCALE ?? '')
    .replace(/--scale gateway=\d+/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  log('docker-compose up -d --scale gateway=3');
  await compose(['up', '-d', '--scale', 'gateway=3', ...scale], 300_000);
  await waitFor('3 gateways running', async () => (await containersOf('gateway')).length === 3, 120_000);
  await waitFor('GET /readyz through the proxy', async () => (await api('GET', '/readyz')).status === 200, 120_000);

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    log('alice and bob register in Chromium through the proxy and open "general"');
    const alice = await openUser(browser, 'alice');
    const bob = await openUser(browser, 'bob');

    // The proxy routes a new gateway only after two good checks: reload bob until the two are apart.
    let placement;
    for (let attempt = 1; ; attempt++) {
      placement = await waitFor(
        'both pages counted by the gateways',
        async () => {
          const c = await socketsPerGateway();
          return Object.values(c).reduce((x, y) => x + y, 0) === 2 ? c : null;
        },
        30_000,
      );
      if (Object.values(placement).filter((n) => n === 1).length === 2) break;
      check(attempt < 15, `the two pages never landed on different gateways: ${JSON.stringify(placement)}`);
      await bob.page.reload();
      await openGeneral(bob);
    }
    log(`placement ${JSON.stringify(placement)}`);

    log('they chat both ways');
    const texts = [`b1 ${randomUUID()}`, `b2 ${randomUUID()}`, `b3 ${randomUUID()}`, `b4 ${randomUUID()}`];
    await say(alice, texts[0]);
    await seen(bob, texts.slice(0, 1));
    await say(bob, texts[1]);
    await seen(alice, texts.slice(0, 2));

    const victim = Object.entries(placement).find(([, n]) => n === 1)[0];
    log(`killing ${victim}, which holds one of the two pages' sockets (podman kill: SIGKILL, nothing drained)`);
    await sh('podman', ['kill', '--signal', 'KILL', victim], 60_000);

    log('both keep typing; the page that lost its gateway reconnects through the proxy by itself');
    await say(alice, texts[2]);
    await say(bob, texts[3]);
    for (const user of [alice, bob]) {
      await seen(user, texts, 120_000);
      await connected(user);
    }
    const after = await waitFor(
      'both pages counted by the two gateways left',
      async () => {
        const c = await socketsPerGateway();
        return Object.values(c).reduce((x, y) => x + y, 0) === 2 ? c : null;
      },
      60_000,
    );
    check(!(victim in after), `${victim} is gone: ${JSON.stringify(after)}`);
    log(`placement after the kill ${JSON.stringify(after)}`);
    const aliceSeqs = await seen(alice, texts);
    const bobSeqs = await seen(bob, texts);
    check(JSON.stringify(aliceSeqs) === JSON.stringify(bobSeqs), `same seqs on both pages: ${aliceSeqs} / ${bobSeqs}`);
    check(
      [...aliceSeqs].sort((x, y) => x - y).every((s, i, all) => i === 0 || s === all[i - 1] + 1),
      `gapless seqs: ${aliceSeqs}`,
    );
    for (const user of [alice, bob]) {
      const items = await shown(user);
      const seqs = items.map((i) => i.seq);
      check(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
        `${user.name}'s page lists messages in seq order, once each: ${seqs}`,
      );
    }

    const login = await api('POST', '/api/auth/login', { body: { username: alice.username, password: PASSWORD } });
    check(login.status === 200, `login through the API: ${login.status}`);
    const rooms = await api('GET', '/api/rooms', { token: login.body.token });
    const general = rooms.body.rooms.find((r) => r.name === 'general');
    const page = await api('GET', `/api/rooms/${general.id}/messages?limit=100`, { token: login.body.token });
    const stored = texts.map((t) => page.body.messages.filter((m) => m.body === t).map((m) => m.seq));
    check(
      JSON.stringify(stored) === JSON.stringify(aliceSeqs.map((s) => [s])),
      `stored once each with the seqs the pages show: ${JSON.stringify(stored)}`,
    );
    log(`PASS: ${texts.length} messages through 3 gateways and a SIGKILL, seqs ${aliceSeqs.join(',')}, none lost`);
  } finally {
    await browser.close();
  }
}

runMain(main, log);
