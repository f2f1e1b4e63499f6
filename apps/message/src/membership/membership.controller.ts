import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AddMemberRequest,
  ChatSubject,
  JoinRoomReply,
  JoinRoomRequest,
  LeaveRoomReply,
  LeaveRoomRequest,
  MarkReadReply,
  MarkReadRequest,
  RoomReply,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { MembershipService } from './membership.service';
import { ReadPointerService } from './read-pointer.service';

@Controller()
export class MembershipController {
  constructor(
    private readonly membership: MembershipService,
    private readonly readPointers: ReadPointerService,
  ) {}

  @Handles(ChatSubject.JoinRoom)
  join(@Payload() req: JoinRoomRequest): Promise<JoinRoomReply> {
    return this.membership.join(req);
  }

  @Handles(ChatSubject.LeaveRoom)
  leave(@Payload() req: LeaveRoomRequest): Promise<LeaveRoomReply> {
    return this.membership.leave(req);
  }

  @Handles(ChatSubject.AddMember)
  addMember(@Payload() req: AddMemberRequest): Promise<RoomReply> {
    return this.membership.addMember(req);
  }

  @Handles(ChatSubject.MarkRead)
  markRead(@Payload() req: MarkReadRequest): Promise<MarkReadReply> {
    return this.readPointers.markRead(req);
  }
}
