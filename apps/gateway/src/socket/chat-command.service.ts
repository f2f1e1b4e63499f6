import { Injectable, Logger } from '@nestjs/common';
import { ChatSubject, ClientAck, ClientEventName, ClientPayload, ClientResult, UserRef } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { assertMessageId, assertRoomId, isKnownIdShape } from '../common/ids';
import { DrainState } from '../lifecycle/drain-state';
import { MetricsService } from '../metrics/metrics.service';
import { RoomStream } from '../room-stream/room-stream.service';
import { SendBatcher } from './send-batcher';
import { answer } from './socket-answer';
import { ChatSocket } from './socket-events';

/** What a socket asks for: join, leave, send, edit, delete, read. Each answers an ack and never throws. */
@Injectable()
export class ChatCommandService {
  private readonly logger = new Logger(ChatCommandService.name);

  constructor(
    private readonly rpc: RpcClient,
    private readonly stream: RoomStream,
    private readonly drain: DrainState,
    private readonly metrics: MetricsService,
    private readonly sends: SendBatcher,
  ) {}

  join(socket: ChatSocket, payload: unknown): Promise<ClientAck<'room:join'>> {
    return this.answer(socket, 'room:join', payload, async ({ roomId, afterSeq }) => {
      assertRoomId(roomId);
      // Subscribe first, then ask: an event published meanwhile is held, not lost.
      this.stream.hold(socket, roomId);
      try {
        const reply = await this.rpc.request(ChatSubject.JoinRoom, { actor: actorOf(socket), roomId, afterSeq });
        if (!socket.connected) throw DomainError.unavailable('Disconnected');
        // Without afterSeq the client takes what it missed as message:new; with it, in the ack.
        const later = this.stream.follow(socket, reply.room, afterSeq === undefined ? 'emit' : 'return');
        let missed = reply.missed;
        if (afterSeq !== undefined && !reply.hasMore) {
          const top = missed.length > 0 ? missed[missed.length - 1].seq : reply.room.lastSeq;
          missed = [...missed, ...later.filter((m) => m.seq > top)];
        }
        return { room: reply.room, missed, hasMore: reply.hasMore };
      } catch (err) {
        this.stream.unhold(socket, roomId);
        throw err;
      }
    });
  }

  leave(socket: ChatSocket, payload: unknown): Promise<ClientAck<'room:leave'>> {
    return this.answer(socket, 'room:leave', payload, async ({ roomId }) => {
      assertRoomId(roomId);
      await this.rpc.request(ChatSubject.LeaveRoom, { actor: actorOf(socket), roomId });
      this.stream.unfollow(socket, roomId);
      return {};
    });
  }

  send(socket: ChatSocket, payload: unknown): Promise<ClientAck<'message:send'>> {
    return this.answer(socket, 'message:send', payload, async ({ roomId, clientMsgId, body, attachmentIds }) => {
      assertRoomId(roomId);
      // An id of a form we never issue names nothing: NOT_FOUND, as the service answers for foreign ones.
      if (attachmentIds && !attachmentIds.every(isKnownIdShape)) throw DomainError.notFound('No such attachment');
      const { message } = await this.sends.send({
        actor: actorOf(socket),
        roomId,
        clientMsgId,
        body: body ?? '',
        ...(attachmentIds && attachmentIds.length > 0 ? { attachmentIds } : {}),
      });
      this.metrics.messagesIn.inc();
      return { message };
    });
  }

  /** The ack carries the edited message; every member's socket also gets `message:updated`. */
  edit(socket: ChatSocket, payload: unknown): Promise<ClientAck<'message:edit'>> {
    return this.answer(socket, 'message:edit', payload, async ({ messageId, body }) => {
      const { message } = await this.rpc.request(ChatSubject.EditMessage, {
        actor: actorOf(socket),
        messageId: assertMessageId(messageId),
        body,
      });
      return { message };
    });
  }

  delete(socket: ChatSocket, payload: unknown): Promise<ClientAck<'message:delete'>> {
    return this.answer(socket, 'message:delete', payload, async ({ messageId }) => {
      await this.rpc.request(ChatSubject.DeleteMessage, {
        actor: actorOf(socket),
        messageId: assertMessageId(messageId),
      });
      return {};
    });
  }

  read(socket: ChatSocket, payload: unknown): Promise<ClientAck<'room:read'>> {
    return this.answer(socket, 'room:read', payload, async ({ roomId, seq }) => {
      await this.rpc.request(ChatSubject.MarkRead, { actor: actorOf(socket), roomId: assertRoomId(roomId), seq });
      return {};
    });
  }

  private answer<E extends ClientEventName>(
    socket: ChatSocket,
    event: E,
    payload: unknown,
    work: (input: ClientPayload<E>) => Promise<ClientResult<E>>,
  ): Promise<ClientAck<E>> {
    return answer({ drain: this.drain, logger: this.logger }, socket, event, payload, work);
  }
}

function actorOf(socket: ChatSocket): UserRef {
  const { user } = socket.data.session;
  return { id: user.id, username: user.username, ...(socket.data.exempt ? { exempt: true } : {}) };
}
