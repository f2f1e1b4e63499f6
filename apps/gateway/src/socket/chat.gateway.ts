import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { AckError, ClientEvent, ClientEventName, ErrorCode } from '@app/contracts';
import { newRequestId, withRequestId } from '@app/logging';
import { SpanKind, traced } from '@app/tracing';
import { normalizeError } from '../common/error-normalizer';
import { ConnectionService } from '../connection/connection.service';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { TypingService } from '../typing/typing.service';
import { ChatCommandService } from './chat-command.service';
import { SocketDrainService } from './socket-drain.service';
import { ChatSocket } from './socket-events';
import { ChatServer, SocketServerHolder } from './socket-server.holder';

/** Frames above this are refused by engine.io (a 4000-character body is at most 16 KB). */
const MAX_FRAME_BYTES = 256 * 1024;

/** The Socket.IO edge, default namespace, path /socket.io. */
@WebSocketGateway({ path: '/socket.io', serveClient: false, maxHttpBufferSize: MAX_FRAME_BYTES })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly connections: ConnectionService,
    private readonly commands: ChatCommandService,
    private readonly drain: SocketDrainService,
    private readonly holder: SocketServerHolder,
    private readonly typing: TypingService,
    private readonly presence: PresenceService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(server: ChatServer): void {
    this.holder.set(server);
    // Refused handshakes surface as `connect_error` whose message is the contract's code.
    // A handshake is a request of its own: one id (and span) over its session and room-list asks.
    server.use((socket, next) => withRequestId(newRequestId(), () => this.admit(socket, next)));
  }

  private admit(socket: ChatSocket, next: (err?: Error) => void): void {
    traced('socket handshake', SpanKind.SERVER, () => this.connections.authenticate(socket)).then(
      () => {
        this.metrics.socketEvent('connect', 'ok');
        next();
      },
      (err: unknown) => {
        const { code, message } = normalizeError(err, this.logger, { stage: 'handshake' });
        this.metrics.socketEvent('connect', code);
        const refusal = new Error(code === ErrorCode.INTERNAL ? ErrorCode.UNAVAILABLE : code) as Error & {
          data?: unknown;
        };
        refusal.data = { code, message };
        next(refusal);
      },
    );
  }

  handleConnection(socket: ChatSocket): void {
    this.connections.onConnect(socket);
  }

  handleDisconnect(socket: ChatSocket): void {
    this.connections.onDisconnect(socket);
  }

  @SubscribeMessage(ClientEvent.RoomJoin)
  join(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.RoomJoin, () => this.commands.join(socket, payload));
  }

  @SubscribeMessage(ClientEvent.RoomLeave)
  leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.RoomLeave, () => this.commands.leave(socket, payload));
  }

  @SubscribeMessage(ClientEvent.MessageSend)
  send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.MessageSend, () => this.commands.send(socket, payload));
  }

  @SubscribeMessage(ClientEvent.MessageEdit)
  edit(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.MessageEdit, () => this.commands.edit(socket, payload));
  }

  @SubscribeMessage(ClientEvent.MessageDelete)
  delete(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.MessageDelete, () => this.commands.delete(socket, payload));
  }

  @SubscribeMessage(ClientEvent.RoomRead)
  read(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.RoomRead, () => this.commands.read(socket, payload));
  }

  @SubscribeMessage(ClientEvent.Typing)
  typingChanged(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.Typing, () => this.typing.command(socket, payload));
  }

  @SubscribeMessage(ClientEvent.PresenceList)
  presenceList(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.run(socket, ClientEvent.PresenceList, () => this.presence.list(socket, payload));
  }

  /** Runs one event's work (tracked for the drain) and counts its ack by outcome: `ok` or the error code. */
  private async run<A extends { ok: true } | AckError>(
    socket: ChatSocket,
    event: ClientEventName,
    work: () => Promise<A>,
  ): Promise<A> {
    const ack = await this.drain.track(socket, work);
    this.metrics.socketEvent(event, ack.ok ? 'ok' : ack.error.code);
    return ack;
  }
}
