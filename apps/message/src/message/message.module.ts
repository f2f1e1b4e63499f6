import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module';
import { MessageController } from './message.controller';
import { MessageWriter } from './message-writer.service';
import { MessageService } from './message.service';

@Module({
  imports: [MembershipModule],
  controllers: [MessageController],
  providers: [MessageService, MessageWriter],
})
export class MessageModule {}
