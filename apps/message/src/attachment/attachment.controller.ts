import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  BeginUploadRequest,
  ChatSubject,
  CommitUploadRequest,
  GetAttachmentReply,
  GetAttachmentRequest,
  ReadChunkReply,
  ReadChunkRequest,
  UploadChunkReply,
  UploadChunkRequest,
  UploadReply,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { AttachmentService } from './attachment.service';

@Controller()
export class AttachmentController {
  constructor(private readonly attachments: AttachmentService) {}

  @Handles(ChatSubject.BeginUpload)
  begin(@Payload() req: BeginUploadRequest): Promise<UploadReply> {
    return this.attachments.begin(req);
  }

  @Handles(ChatSubject.UploadChunk)
  chunk(@Payload() req: UploadChunkRequest): Promise<UploadChunkReply> {
    return this.attachments.putChunk(req);
  }

  @Handles(ChatSubject.CommitUpload)
  commit(@Payload() req: CommitUploadRequest): Promise<UploadReply> {
    return this.attachments.commit(req);
  }

  @Handles(ChatSubject.GetAttachment)
  get(@Payload() req: GetAttachmentRequest): Promise<GetAttachmentReply> {
    return this.attachments.get(req);
  }

  @Handles(ChatSubject.ReadChunk)
  read(@Payload() req: ReadChunkRequest): Promise<ReadChunkReply> {
    return this.attachments.readChunk(req);
  }
}
