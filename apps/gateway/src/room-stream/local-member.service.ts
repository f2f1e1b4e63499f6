import { Injectable } from '@nestjs/common';
import { ChatSubject } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { assertRoomId } from '../common/ids';
import { ChatSocket, channel } from '../socket/socket-events';

/**
 * For ephemeral room commands (typing, presence): the socket must be in the room here, on this
 * gateway, which costs nothing. Only a refusal asks the message service, to tell an unknown room
 * (NOT_FOUND) from one the caller is not in (FORBIDDEN).
 */
@Injectable()
export class LocalMemberService {
  constructor(private readonly rpc: RpcClient) {}

  async assertMember(socket: ChatSocket, roomId: string): Promise<void> {
    assertRoomId(roomId);
    if (socket.rooms.has(channel.room(roomId))) return;
    const { id, username } = socket.data.session.user;
    // Throws NOT_FOUND for an unknown room, FORBIDDEN for a private room of others.
    await this.rpc.request(ChatSubject.GetRoom, { actor: { id, username }, roomId });
    throw DomainError.forbidden('Only members of the room can do this; join it first');
  }
}
