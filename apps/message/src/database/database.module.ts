import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttachmentRepository } from '../attachment/attachment.repository';
import { Attachment, AttachmentChunk, AttachmentChunkSchema, AttachmentSchema } from '../attachment/attachment.schema';
import { MemberListRepository } from '../membership/member-list.repository';
import { MemberList, MemberListSchema } from '../membership/member-list.schema';
import { MembershipRepository } from '../membership/membership.repository';
import { Membership, MembershipSchema } from '../membership/membership.schema';
import { RoomListRepository } from '../membership/room-list.repository';
import { RoomList, RoomListSchema } from '../membership/room-list.schema';
import { PublicRoomEntry, PublicRoomEntrySchema } from '../room/public-directory.schema';
import { MessageRepository } from '../message/message.repository';
import { Message, MessageSchema } from '../message/message.schema';
import { RecentMessages } from '../message/recent-messages.service';
import { SendKey, SendKeySchema } from '../message/send-key.schema';
import { RoomRepository } from '../room/room.repository';
import { Room, RoomSchema } from '../room/room.schema';
import { MentionListRepository } from '../mention/mention-list.repository';
import { MentionList, MentionListSchema } from '../mention/mention-list.schema';
import { IndexInitializer } from './index.initializer';
import { StoreMigration } from './store-migration';

/**
 * The service's collections and their repositories, in one module: every feature reads
 * more than one of them (a send checks the room and the membership), so none owns them alone.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Room.name, schema: RoomSchema },
      { name: Membership.name, schema: MembershipSchema },
      { name: RoomList.name, schema: RoomListSchema },
      { name: MemberList.name, schema: MemberListSchema },
      { name: PublicRoomEntry.name, schema: PublicRoomEntrySchema },
      { name: Message.name, schema: MessageSchema },
      { name: SendKey.name, schema: SendKeySchema },
      { name: Attachment.name, schema: AttachmentSchema },
      { name: AttachmentChunk.name, schema: AttachmentChunkSchema },
      { name: MentionList.name, schema: MentionListSchema },
    ]),
  ],
  providers: [
    RoomRepository,
    MembershipRepository,
    RoomListRepository,
    MemberListRepository,
    MessageRepository,
    RecentMessages,
    AttachmentRepository,
    MentionListRepository,
    IndexInitializer,
    StoreMigration,
  ],
  exports: [
    MongooseModule,
    RoomRepository,
    MembershipRepository,
    RoomListRepository,
    MemberListRepository,
    MessageRepository,
    AttachmentRepository,
    MentionListRepository,
  ],
})
export class DatabaseModule {}
