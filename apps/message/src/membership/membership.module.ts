import { Module } from '@nestjs/common';
import { MembershipController } from './membership.controller';
import { MembershipService } from './membership.service';
import { RoomAccessService } from './room-access.service';
import { RoomMembersService } from './room-members.service';

@Module({
  controllers: [MembershipController],
  providers: [RoomAccessService, RoomMembersService, MembershipService],
  exports: [RoomAccessService, RoomMembersService],
})
export class MembershipModule {}
