import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module';
import { AttachmentController } from './attachment.controller';
import { AttachmentExpiry } from './attachment-expiry.service';
import { AttachmentService } from './attachment.service';

/** Uploads in chunks, downloads to room members, and the check a send makes of its attachments. */
@Module({
  imports: [MembershipModule],
  controllers: [AttachmentController],
  providers: [AttachmentService, AttachmentExpiry],
  exports: [AttachmentService],
})
export class AttachmentModule {}
