import { Module } from '@nestjs/common';
import { MembershipController } from './membership.controller';
import { MembershipService } from './membership.service';
import { ReadPointerService } from './read-pointer.service';
import { RoomAccessService } from './room-access.service';
import { RoomMembersService } from './room-members.service';
import { LastSeqHintService } from '../room/last-seq-hint.service';
import { PublicDirectoryService } from '../room/public-directory.service';
import { RoomStatsService } from '../room/room-stats.service';
import { RoomViewService } from '../room/room-view.service';
import { MentionService } from '../mention/mention.service';

/** Who may do what in a room, membership writes with their events, and room views. */
@Module({
  controllers: [MembershipController],
  providers: [
    RoomAccessService,
    RoomMembersService,
    RoomViewService,
    RoomStatsService,
    PublicDirectoryService,
    LastSeqHintService,
    MembershipService,
    ReadPointerService,
    MentionService,
  ],
  exports: [
    MentionService,
    RoomAccessService,
    RoomMembersService,
    RoomViewService,
    RoomStatsService,
    PublicDirectoryService,
    LastSeqHintService,
  ],
})
export class MembershipModule {}
