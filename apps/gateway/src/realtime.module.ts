import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ConnectionService } from './connection/connection.service';
import { HandshakeGate } from './connection/handshake-gate';
import { HandshakeRoomsService } from './connection/handshake-rooms.service';
import { SessionRevocationService } from './connection/session-revocation.service';
import { SocketAuthService } from './connection/socket-auth.service';
import { UserEventsService } from './connection/user-events.service';
import { PresenceService } from './presence/presence.service';
import { LocalMemberService } from './room-stream/local-member.service';
import { RoomFanoutService } from './room-stream/room-fanout.service';
import { MessageServiceHistory, RoomHistory } from './room-stream/room-history';
import { RoomSequencer, SEQUENCER_GAP_MS } from './room-stream/room-sequencer.service';
import { RoomStream } from './room-stream/room-stream.service';
import { RoomSubscriptionRegistry } from './room-stream/room-subscription.registry';
import { ChatCommandService } from './socket/chat-command.service';
import { ChatGateway } from './socket/chat.gateway';
import { SocketDrainService } from './socket/socket-drain.service';
import { SocketServerHolder } from './socket/socket-server.holder';
import { SendBatcher } from './socket/send-batcher';
import { TypingService } from './typing/typing.service';

/** How long a seq gap may stay open before history fills it. */
const GAP_FILL_DELAY_MS = 250;

@Module({
  imports: [AuthModule],
  providers: [
    SocketServerHolder,
    LocalMemberService,
    TypingService,
    PresenceService,
    RoomFanoutService,
    { provide: RoomHistory, useClass: MessageServiceHistory },
    { provide: SEQUENCER_GAP_MS, useValue: GAP_FILL_DELAY_MS },
    RoomSequencer,
    RoomSubscriptionRegistry,
    HandshakeGate,
    HandshakeRoomsService,
    RoomStream,
    UserEventsService,
    SocketDrainService,
    SocketAuthService,
    SessionRevocationService,
    ConnectionService,
    SendBatcher,
    ChatCommandService,
    ChatGateway,
  ],
  exports: [SocketDrainService],
})
export class RealtimeModule {}
