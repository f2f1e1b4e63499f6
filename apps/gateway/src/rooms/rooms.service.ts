import { Injectable } from '@nestjs/common';
import { ChatSubject, GetRoomReply, HistoryReply, ListRoomsReply, RoomReply, UserRef, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { assertRoomId } from '../common/ids';
import { parseHistoryQuery } from './history-query';
import { CreateRoomBody } from './rooms.dto';
import { UserDirectoryService } from './user-directory.service';

/** The HTTP room API: usernames resolved here, everything else asked of the message service. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly users: UserDirectoryService,
  ) {}

  list(actor: UserView): Promise<ListRoomsReply> {
    return this.rpc.request(ChatSubject.ListRooms, { actor: ref(actor) });
  }

  async create(actor: UserView, body: CreateRoomBody): Promise<RoomReply> {
    const others = (body.members ?? []).filter((name) => name.toLowerCase() !== actor.username.toLowerCase());
    const members = await this.users.resolve(others);
    return this.rpc.request(ChatSubject.CreateRoom, { actor: ref(actor), name: body.name, kind: body.kind, members });
  }

  get(actor: UserView, roomId: string): Promise<GetRoomReply> {
    return this.rpc.request(ChatSubject.GetRoom, { actor: ref(actor), roomId: assertRoomId(roomId) });
  }

  async join(actor: UserView, roomId: string): Promise<RoomReply> {
    const { room } = await this.rpc.request(ChatSubject.JoinRoom, { actor: ref(actor), roomId: assertRoomId(roomId) });
    return { room };
  }

  async leave(actor: UserView, roomId: string): Promise<void> {
    await this.rpc.request(ChatSubject.LeaveRoom, { actor: ref(actor), roomId: assertRoomId(roomId) });
  }

  async addMember(actor: UserView, roomId: string, username: string): Promise<RoomReply> {
    assertRoomId(roomId);
    const member = await this.users.resolveOne(username);
    return this.rpc.request(ChatSubject.AddMember, { actor: ref(actor), roomId, member });
  }

  /** The one direct room of the two users; `created` tells 201 from 200. */
  async openDirect(actor: UserView, username: string): Promise<{ room: RoomReply['room']; created: boolean }> {
    if (username.toLowerCase() === actor.username.toLowerCase()) {
      throw DomainError.validation('You cannot open a direct conversation with yourself');
    }
    const peer = await this.users.resolveOne(username);
    if (peer.id === actor.id) throw DomainError.validation('You cannot open a direct conversation with yourself');
    return this.rpc.request(ChatSubject.OpenDirect, { actor: ref(actor), peer });
  }

  async history(actor: UserView, roomId: string, query: Record<string, unknown>): Promise<HistoryReply> {
    assertRoomId(roomId);
    const page = parseHistoryQuery(query);
    const { messages, hasMore } = await this.rpc.request(ChatSubject.History, { actor: ref(actor), roomId, ...page });
    return { messages, hasMore };
  }
}

/** Only the two fields the contract's UserRef allows (a payload with more is refused). */
function ref(user: UserView & { exempt?: boolean }): UserRef {
  return { id: user.id, username: user.username, ...(user.exempt ? { exempt: true } : {}) };
}
