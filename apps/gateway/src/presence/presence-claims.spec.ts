import type { PresenceEvent, UserView } from '@app/contracts';
import { MISSED_HEARTBEATS, PresenceClaims } from './presence-claims';

const SELF = 'gw-self';
const INTERVAL = 1000;
const alice: UserView = { id: 'u1', username: 'alice' };
const bob: UserView = { id: 'u2', username: 'bob' };

const claim = (gatewayId: string, user: UserView, roomIds: string[]): PresenceEvent => ({
  type: 'claim',
  gatewayId,
  intervalMs: INTERVAL,
  user,
  roomIds,
});
const release = (gatewayId: string, user: UserView, roomIds: string[] = []): PresenceEvent => ({
  type: 'release',
  gatewayId,
  intervalMs: INTERVAL,
  user,
  roomIds,
});
const heartbeat = (gatewayId: string, round: number, userIds: string[], part = 0, parts = 1): PresenceEvent => ({
  type: 'heartbeat',
  gatewayId,
  intervalMs: INTERVAL,
  round,
  part,
  parts,
  userIds,
});

describe(PresenceClaims.name, () => {
  let sut: PresenceClaims;

  beforeEach(() => {
    sut = new PresenceClaims(SELF);
  });

  it('announces online on the first claim anywhere, and not again for a second gateway', () => {
    expect(sut.apply(claim('g1', alice, ['r1', 'r2']), 0)).toEqual([
      { user: alice, status: 'online', roomIds: ['r1', 'r2'] },
    ]);
    expect(sut.apply(claim('g2', alice, ['r1']), 10)).toEqual([]);
    expect(sut.gatewaysOf('u1').sort()).toEqual(['g1', 'g2']);
  });

  it('announces offline only when the last gateway releases, to every room it learnt', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply(claim('g2', alice, ['r2']), 0);
    expect(sut.apply(release('g1', alice), 10)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
    expect(sut.apply(release('g2', alice, ['r3']), 20)).toEqual([
      { user: alice, status: 'offline', roomIds: ['r1', 'r2', 'r3'] },
    ]);
    expect(sut.isOnline('u1')).toBe(false);
    // A late duplicate release changes nothing.
    expect(sut.apply(release('g2', alice), 30)).toEqual([]);
  });

  it('a later claim adds rooms without a new announcement', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    expect(sut.apply(claim('g1', alice, ['r2']), 5)).toEqual([]);
    expect(sut.onlineIn('r2')).toEqual([alice]);
  });

  it('lists the online users of a room, and forgets them when they go', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply(claim('g2', bob, ['r1', 'r2']), 0);
    expect(sut.onlineIn('r1')).toEqual([alice, bob]);
    sut.apply(release('g2', bob), 1);
    expect(sut.onlineIn('r1')).toEqual([alice]);
    expect(sut.onlineIn('r2')).toEqual([]);
  });

  it('expires a gateway silent for 3 heartbeat periods, not one that keeps heartbeating', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply(claim('g2', bob, ['r1']), 0);
    sut.apply(claim('g2', alice, ['r1']), 0);
    for (let t = INTERVAL; t <= 4 * INTERVAL; t += INTERVAL) sut.apply(heartbeat('g2', t, ['u1', 'u2']), t);
    expect(sut.expire(MISSED_HEARTBEATS * INTERVAL)).toEqual([]);
    // g1 last heard at 0: its claim on alice goes, but g2 still holds her.
    expect(sut.expire(MISSED_HEARTBEATS * INTERVAL + 1)).toEqual([]);
    expect(sut.gatewaysOf('u1')).toEqual(['g2']);
    // g2 dies after its heartbeat at 4 s.
    expect(sut.expire(7 * INTERVAL)).toEqual([]);
    const out = sut.expire(7 * INTERVAL + 1);
    expect(out.map((t) => [t.user.username, t.status]).sort()).toEqual([
      ['alice', 'offline'],
      ['bob', 'offline'],
    ]);
  });

  it('never expires its own claims', () => {
    sut.apply(claim(SELF, alice, ['r1']), 0);
    expect(sut.expire(100 * INTERVAL)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
  });

  it('a heartbeat without a user it had claimed releases that user (a release that went missing)', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply(claim('g1', bob, ['r1']), 0);
    expect(sut.apply(heartbeat('g1', 1, ['u2']), 10)).toEqual([{ user: alice, status: 'offline', roomIds: ['r1'] }]);
    expect(sut.isOnline('u2')).toBe(true);
  });

  it('reconciles a heartbeat in parts only once the last part is in', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply(claim('g1', bob, ['r1']), 0);
    expect(sut.apply(heartbeat('g1', 7, ['u2'], 0, 2), 10)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
    expect(sut.apply(heartbeat('g1', 7, ['u1'], 1, 2), 10)).toEqual([]);
    expect(sut.isOnline('u1') && sut.isOnline('u2')).toBe(true);
    // A round whose first part went missing is not used to release anyone.
    expect(sut.apply(heartbeat('g1', 8, ['u2'], 1, 2), 20)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
  });

  it('learns users from a heartbeat silently (a claim it missed), and they count for online', () => {
    expect(sut.apply(heartbeat('g1', 1, ['u1']), 0)).toEqual([]);
    expect(sut.isOnline('u1')).toBe(true);
    expect(sut.apply(claim('g2', alice, ['r1']), 5)).toEqual([]);
    expect(sut.apply(release('g2', alice), 6)).toEqual([]);
    expect(sut.apply(heartbeat('g1', 2, []), 7)).toEqual([{ user: alice, status: 'offline', roomIds: ['r1'] }]);
  });

  it('a hello keeps its gateway alive like a heartbeat', () => {
    sut.apply(claim('g1', alice, ['r1']), 0);
    sut.apply({ type: 'hello', gatewayId: 'g1', intervalMs: INTERVAL }, 2 * INTERVAL);
    expect(sut.expire(4 * INTERVAL)).toEqual([]);
    expect(sut.expire(5 * INTERVAL + 1)).toHaveLength(1);
  });
});
