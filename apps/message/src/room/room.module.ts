import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module';
import { DirectRoomService } from './direct-room.service';
import { GeneralRoomInitializer } from './general-room.initializer';
import { RoomController } from './room.controller';
import { RoomService } from './room.service';

@Module({
  imports: [MembershipModule],
  controllers: [RoomController],
  providers: [RoomService, DirectRoomService, GeneralRoomInitializer],
})
export class RoomModule {}
