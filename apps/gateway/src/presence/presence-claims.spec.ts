import type { PresenceHeld, RoomPresenceEvent, UserView } from '@app/contracts';
import { MISSED_BEACONS, PresenceClaims } from './presence-claims';

const SELF = 'gw-self';
const INTERVAL = 1000;
const alice: UserView = { id: 'u1', username: 'alice' };
const bob: UserView = { id: 'u2', username: 'bob' };

type Claim = Extract<RoomPresenceEvent, { type: 'claim' }>;
type Release = Extract<RoomPresenceEvent, { type: 'release' }>;

const claim = (gatewayId: string, user: UserView, roomIds: string[], first = true): Claim => ({
  type: 'claim',
  gatewayId,
  intervalMs: INTERVAL,
  user,
  roomIds,
  first,
});
const release = (gatewayId: string, user: UserView, roomIds: string[] = []): Release => ({
  type: 'release',
  gatewayId,
  intervalMs: INTERVAL,
  user,
  roomIds,
});
const held = (user: UserView, roomIds: string[]): PresenceHeld => ({ user, roomIds });

describe(PresenceClaims.name, () => {
  let sut: PresenceClaims;

  beforeEach(() => {
    sut = new PresenceClaims(SELF);
  });

  it('announces online on the first claim anywhere, and not again for a second gateway', () => {
    expect(sut.claim(claim('g1', alice, ['r1', 'r2']), 0)).toEqual([
      { user: alice, status: 'online', roomIds: ['r1', 'r2'], toldRoomIds: [] },
    ]);
    expect(sut.claim(claim('g2', alice, ['r1']), 10)).toEqual([]);
    expect(sut.gatewaysOf('u1').sort()).toEqual(['g1', 'g2']);
  });

  it('a first claim heard once per shared room: each later copy tells only the sockets not told yet', () => {
    expect(sut.claim(claim('g1', alice, ['r1']), 0)).toEqual([
      { user: alice, status: 'online', roomIds: ['r1'], toldRoomIds: [] },
    ]);
    expect(sut.claim(claim('g1', alice, ['r2']), 0)).toEqual([
      { user: alice, status: 'online', roomIds: ['r2'], toldRoomIds: ['r1'] },
    ]);
    // A duplicate copy tells nobody; neither does another gateway's first claim of an online user.
    expect(sut.claim(claim('g1', alice, ['r2']), 0)).toEqual([]);
    expect(sut.claim(claim('g2', alice, ['r3']), 0)).toEqual([]);
  });

  it('announces offline only when the last gateway releases, to every room it learnt', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    sut.claim(claim('g2', alice, ['r2']), 0);
    expect(sut.release(release('g1', alice), 10)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
    expect(sut.release(release('g2', alice, ['r3']), 20)).toEqual([
      { user: alice, status: 'offline', roomIds: ['r1', 'r2', 'r3'], toldRoomIds: [] },
    ]);
    expect(sut.isOnline('u1')).toBe(false);
    // A late copy of the release (another shared room) changes nothing.
    expect(sut.release(release('g2', alice, ['r2']), 30)).toEqual([]);
  });

  it('a claim for rooms joined later adds rooms without an announcement, even for a user not known yet', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    expect(sut.claim(claim('g1', alice, ['r2'], false), 5)).toEqual([]);
    expect(sut.onlineIn('r2')).toEqual([alice]);
    expect(sut.claim(claim('g1', bob, ['r2'], false), 5)).toEqual([]);
    expect(sut.isOnline('u2')).toBe(true);
  });

  it('lists the online users of a room, and forgets them when they go', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    sut.claim(claim('g2', bob, ['r1', 'r2']), 0);
    expect(sut.onlineIn('r1')).toEqual([alice, bob]);
    sut.release(release('g2', bob), 1);
    expect(sut.onlineIn('r1')).toEqual([alice]);
    expect(sut.onlineIn('r2')).toEqual([]);
  });

  it('expires a gateway silent for 3 beacon periods, not one that keeps beaconing', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    sut.claim(claim('g2', bob, ['r1']), 0);
    sut.claim(claim('g2', alice, ['r1']), 0);
    for (let t = INTERVAL; t <= 4 * INTERVAL; t += INTERVAL) sut.alive('g2', INTERVAL, t);
    expect(sut.expire(MISSED_BEACONS * INTERVAL)).toEqual([]);
    // g1 last heard at 0: its claim on alice goes, but g2 still holds her.
    expect(sut.expire(MISSED_BEACONS * INTERVAL + 1)).toEqual([]);
    expect(sut.gatewaysOf('u1')).toEqual(['g2']);
    // g2 dies after its beacon at 4 s.
    expect(sut.expire(7 * INTERVAL)).toEqual([]);
    const out = sut.expire(7 * INTERVAL + 1);
    expect(out.map((t) => [t.user.username, t.status]).sort()).toEqual([
      ['alice', 'offline'],
      ['bob', 'offline'],
    ]);
  });

  it('never expires its own claims', () => {
    sut.claim(claim(SELF, alice, ['r1']), 0);
    expect(sut.expire(100 * INTERVAL)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
  });

  it('says a gateway is new on its first beacon, and again once its claims expired', () => {
    expect(sut.alive('g1', INTERVAL, 0)).toBe(true);
    expect(sut.alive('g1', INTERVAL, INTERVAL)).toBe(false);
    sut.claim(claim('g2', alice, ['r1']), 0);
    expect(sut.alive('g2', INTERVAL, 0)).toBe(true);
    sut.expire(10 * INTERVAL);
    expect(sut.alive('g1', INTERVAL, 11 * INTERVAL)).toBe(true);
  });

  it('a sync answer without a user it had claimed in the rooms asked releases that user there', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    sut.claim(claim('g1', bob, ['r1', 'r2']), 0);
    expect(sut.reconcile('g1', INTERVAL, new Set(['r1']), [], true, 10)).toEqual([
      { user: alice, status: 'offline', roomIds: ['r1'], toldRoomIds: [] },
    ]);
    // Bob is still claimed for r2, which was not asked: online.
    expect(sut.gatewaysOf('u2')).toEqual(['g1']);
    expect(sut.onlineIn('r2')).toEqual([bob]);
  });

  it('learns users from a sync answer (claims it missed), silently for a room just followed', () => {
    expect(sut.reconcile('g1', INTERVAL, new Set(['r1']), [held(alice, ['r1'])], false, 0)).toEqual([]);
    expect(sut.onlineIn('r1')).toEqual([alice]);
    expect(sut.claim(claim('g2', alice, ['r1']), 5)).toEqual([]);
    expect(sut.release(release('g2', alice), 6)).toEqual([]);
    expect(sut.reconcile('g1', INTERVAL, new Set(['r1']), [], false, 7)).toEqual([
      { user: alice, status: 'offline', roomIds: ['r1'], toldRoomIds: [] },
    ]);
  });

  it('after missing claims (catch-up), a user learnt from an answer is announced online, once', () => {
    const asked = new Set(['r1', 'r2']);
    expect(sut.reconcile('g1', INTERVAL, asked, [held(alice, ['r1', 'r2'])], true, 0)).toEqual([
      { user: alice, status: 'online', roomIds: ['r1', 'r2'], toldRoomIds: [] },
    ]);
    expect(sut.reconcile('g2', INTERVAL, asked, [held(alice, ['r1'])], true, 0)).toEqual([]);
    expect(sut.reconcile('g1', INTERVAL, asked, [held(alice, ['r1', 'r2'])], true, 1)).toEqual([]);
  });

  it('a room no longer followed is forgotten silently, with users known through it only', () => {
    sut.claim(claim('g1', alice, ['r1', 'r2']), 0);
    sut.claim(claim('g1', bob, ['r1']), 0);
    sut.forgetRoom('r1');
    expect(sut.isOnline('u2')).toBe(false);
    expect(sut.size).toBe(1);
    expect(sut.onlineIn('r1')).toEqual([]);
    expect(sut.onlineIn('r2')).toEqual([alice]);
    expect(sut.release(release('g1', alice, ['r2']), 1)).toEqual([
      { user: alice, status: 'offline', roomIds: ['r2'], toldRoomIds: [] },
    ]);
  });

  it('any claim keeps its gateway alive like a beacon', () => {
    sut.claim(claim('g1', alice, ['r1']), 0);
    sut.claim(claim('g1', bob, ['r1'], false), 2 * INTERVAL);
    expect(sut.expire(4 * INTERVAL)).toEqual([]);
    expect(sut.expire(5 * INTERVAL + 1)).toHaveLength(2);
  });
});
