import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ChatSubject,
  CreateRoomRequest,
  GetRoomReply,
  GetRoomRequest,
  ListRoomsReply,
  ListRoomsRequest,
  OpenDirectReply,
  OpenDirectRequest,
  RoomReply,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { DirectRoomService } from './direct-room.service';
import { RoomService } from './room.service';

@Controller()
export class RoomController {
  constructor(
    private readonly rooms: RoomService,
    private readonly directRooms: DirectRoomService,
  ) {}

  @Handles(ChatSubject.ListRooms)
  list(@Payload() req: ListRoomsRequest): Promise<ListRoomsReply> {
    return this.rooms.list(req);
  }

  @Handles(ChatSubject.CreateRoom)
  create(@Payload() req: CreateRoomRequest): Promise<RoomReply> {
    return this.rooms.create(req);
  }

  @Handles(ChatSubject.GetRoom)
  get(@Payload() req: GetRoomRequest): Promise<GetRoomReply> {
    return this.rooms.get(req);
  }

  @Handles(ChatSubject.OpenDirect)
  openDirect(@Payload() req: OpenDirectRequest): Promise<OpenDirectReply> {
    return this.directRooms.open(req);
  }
}
