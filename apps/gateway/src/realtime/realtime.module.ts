import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChatCommandService } from './chat-command.service';
import { ChatGateway } from './chat.gateway';
import { ConnectionService } from './connection.service';
import { HandshakeRoomsService } from './handshake-rooms.service';
import { LocalMemberService } from './local-member.service';
import { PresenceService } from './presence/presence.service';
import { RoomFanoutService } from './room-fanout.service';
import { RoomMembershipService } from './room-membership.service';
import { RoomSequencer, SEQUENCER_GAP_MS, SEQUENCER_SINK } from './room-sequencer.service';
import { RoomSubscriptionRegistry } from './room-subscription.registry';
import { SessionRevocationListener } from './session-revocation.listener';
import { SocketDrainService } from './socket-drain.service';
import { SocketServerHolder } from './socket-server.holder';
import { TypingService } from './typing/typing.service';
import { UserSubscriptionRegistry } from './user-subscription.registry';

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
    { provide: SEQUENCER_SINK, useExisting: RoomFanoutService },
    { provide: SEQUENCER_GAP_MS, useValue: GAP_FILL_DELAY_MS },
    RoomSequencer,
    RoomSubscriptionRegistry,
    HandshakeRoomsService,
    RoomMembershipService,
    UserSubscriptionRegistry,
    SocketDrainService,
    ConnectionService,
    ChatCommandService,
    SessionRevocationListener,
    ChatGateway,
  ],
  exports: [SocketDrainService],
})
export class RealtimeModule {}
