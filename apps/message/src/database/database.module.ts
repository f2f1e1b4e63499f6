import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttachmentRepository } from '../attachment/attachment.repository';
import { Attachment, AttachmentChunk, AttachmentChunkSchema, AttachmentSchema } from '../attachment/attachment.schema';
import { MembershipRepository } from '../membership/membership.repository';
import { Membership, MembershipSchema } from '../membership/membership.schema';
import { MessageRepository } from '../message/message.repository';
import { Message, MessageSchema } from '../message/message.schema';
import { SendKey, SendKeySchema } from '../message/send-key.schema';
import { RoomRepository } from '../room/room.repository';
import { Room, RoomSchema } from '../room/room.schema';
import { IndexInitializer } from './index.initializer';

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
      { name: Message.name, schema: MessageSchema },
      { name: SendKey.name, schema: SendKeySchema },
      { name: Attachment.name, schema: AttachmentSchema },
      { name: AttachmentChunk.name, schema: AttachmentChunkSchema },
    ]),
  ],
  providers: [RoomRepository, MembershipRepository, MessageRepository, AttachmentRepository, IndexInitializer],
  exports: [RoomRepository, MembershipRepository, MessageRepository, AttachmentRepository],
})
export class DatabaseModule {}
