import { Injectable, Logger } from '@nestjs/common';
import { AuthSubject, EventSubject, MessageView, UserView } from '@app/contracts';
import { EventBus, RpcClient } from '@app/nats';
import { MemberListRepository } from '../membership/member-list.repository';
import { Room } from '../room/room.schema';
import { MENTIONS_KEPT } from './mention-list.schema';
import { MentionListRepository } from './mention-list.repository';
import { mentionedNames } from './mention-names';

/**
 * `@username` mentions: who a body mentions (users who exist and may read the room), the unread
 * mention counts of room views, and the `mention` event to the mentioned user's sockets.
 */
@Injectable()
export class MentionService {
  private readonly logger = new Logger(MentionService.name);

  constructor(
    private readonly memberLists: MemberListRepository,
    private readonly mentionLists: MentionListRepository,
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
  ) {}

  /**
   * The users `body` mentions in `room`, in order of first mention. Members are found in the
   * room's member list; in a public room, which everyone may read, other names are asked of the
   * auth service. If auth does not answer, the message goes out with the members it names: a
   * send never fails for a mention.
   */
  async resolve(room: Room, body: string): Promise<UserView[]> {
    const names = mentionedNames(body);
    if (names.length === 0) return [];
    const members = new Map(
      (await this.memberLists.members(room._id)).map((m) => [
        m.username.toLowerCase(),
        { id: m.userId, username: m.username },
      ]),
    );
    const found = new Map<string, UserView>();
    for (const name of names) {
      const member = members.get(name);
      if (member) found.set(name, member);
    }
    const others = names.filter((n) => !found.has(n));
    if (others.length > 0 && room.kind === 'public') {
      try {
        const { users } = await this.rpc.request(AuthSubject.ResolveUsers, { usernames: others });
        for (const u of users) found.set(u.username.toLowerCase(), { id: u.id, username: u.username });
      } catch (err) {
        this.logger.warn({ msg: 'mentions of non-members not resolved', roomId: room._id, error: String(err) });
      }
    }
    return names.flatMap((n) => {
      const user = found.get(n);
      return user ? [user] : [];
    });
  }

  /** Counts the mention for each mentioned user but the author, and tells their sockets. */
  async notify(message: MessageView, users: UserView[]): Promise<void> {
    const targets = users.filter((u) => u.id !== message.author.id);
    await Promise.all(targets.map((u) => this.mentionLists.add(u.id, message.roomId, message.seq)));
    for (const u of targets) {
      this.events.publish(EventSubject.user(u.id), { type: 'mention', roomId: message.roomId, message });
    }
  }

  /** roomId → seqs mentioning the user (for `unreadMentions`). */
  of(userId: string): Promise<Map<string, number[]>> {
    return this.mentionLists.of(userId);
  }

  /** After the user's read pointer moved: forget the mentions read. */
  async read(userId: string, roomId: string, readSeq: number): Promise<void> {
    const seen = (await this.mentionLists.of(userId)).get(roomId);
    if (seen) await this.mentionLists.prune(userId, roomId, seen, readSeq);
  }
}

/** Unread mentions among `seqs` for a reader at `readSeq`, capped at MENTIONS_KEPT. */
export function unreadMentions(seqs: number[] | undefined, readSeq: number): number {
  return Math.min(MENTIONS_KEPT, (seqs ?? []).filter((s) => s > readSeq).length);
}
