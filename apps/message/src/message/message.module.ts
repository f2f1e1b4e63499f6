import { Module } from '@nestjs/common';
import { AttachmentModule } from '../attachment/attachment.module';
import { MembershipModule } from '../membership/membership.module';
import { ExportController } from './export.controller';
import { MessageController } from './message.controller';
import { MessageChangeService } from './message-change.service';
import { MessageWriter } from './message-writer.service';
import { WriterLiveness } from './writer-liveness.service';
import { MessageService } from './message.service';
import { RoomWriters } from './room-writers.service';

@Module({
  imports: [MembershipModule, AttachmentModule],
  controllers: [MessageController, ExportController],
  providers: [MessageService, MessageWriter, WriterLiveness, RoomWriters, MessageChangeService],
})
export class MessageModule {}
