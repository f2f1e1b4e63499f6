import type { PresenceSyncReply, UserView } from '@app/contracts';
import { PresenceSyncs, SYNC_ROOMS, SYNC_USERS, answerParts } from './presence-syncs';

const alice: UserView = { id: 'u1', username: 'alice' };

const reply = (gatewayId: string, syncId: number, part: number, parts: number, ids: string[]): PresenceSyncReply => ({
  type: 'held',
  gatewayId,
  intervalMs: 1000,
  syncId,
  part,
  parts,
  users: ids.map((id) => ({ user: { id, username: id }, roomIds: ['r1'] })),
});

describe(PresenceSyncs.name, () => {
  let sut: PresenceSyncs;

  beforeEach(() => {
    sut = new PresenceSyncs();
  });

  it('asks for at most SYNC_ROOMS rooms per request', () => {
    const rooms = Array.from({ length: SYNC_ROOMS + 1 }, (_, i) => `r${i}`);
    const requests = sut.open(rooms, false, 0);
    expect(requests.map((r) => r.roomIds.length)).toEqual([SYNC_ROOMS, 1]);
    expect(new Set(requests.map((r) => r.syncId)).size).toBe(2);
    expect(sut.open([], false, 0)).toEqual([]);
  });

  it('gives each gateway’s answer once its last part is in, with the rooms asked', () => {
    const [{ syncId }] = sut.open(['r1'], true, 0);
    expect(sut.receive(reply('g1', syncId, 0, 2, ['a']))).toBeNull();
    const other = sut.receive(reply('g2', syncId, 0, 1, []));
    expect(other).toEqual({ gatewayId: 'g2', intervalMs: 1000, asked: ['r1'], catchUp: true, held: [] });
    const whole = sut.receive(reply('g1', syncId, 1, 2, ['b']));
    expect(whole?.asked).toEqual(['r1']);
    expect(whole?.held.map((h) => h.user.id)).toEqual(['a', 'b']);
  });

  it('ignores answers to requests it did not make or has forgotten', () => {
    expect(sut.receive(reply('g1', 42, 0, 1, []))).toBeNull();
    const [{ syncId }] = sut.open(['r1'], true, 0);
    sut.prune(5000, 3000);
    expect(sut.receive(reply('g1', syncId, 0, 1, []))).toBeNull();
  });

  it('splits an answer in parts of SYNC_USERS users, and answers nobody in one empty part', () => {
    expect(answerParts([])).toEqual([{ part: 0, parts: 1, users: [] }]);
    const many = Array.from({ length: SYNC_USERS + 1 }, () => ({ user: alice, roomIds: ['r1'] }));
    expect(answerParts(many).map((p) => [p.part, p.parts, p.users.length])).toEqual([
      [0, 2, SYNC_USERS],
      [1, 2, 1],
    ]);
  });
});
