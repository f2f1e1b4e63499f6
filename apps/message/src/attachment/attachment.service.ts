import { RateLimitService } from '../common/rate-limit.service';
import { Injectable } from '@nestjs/common';
import {
  BeginUploadRequest,
  CommitUploadRequest,
  GetAttachmentReply,
  GetAttachmentRequest,
  ReadChunkReply,
  ReadChunkRequest,
  UploadChunkReply,
  UploadChunkRequest,
  UploadReply,
  UserView,
  chunkBytesOf,
  chunkCountOf,
} from '@app/contracts';
import { DomainError } from '@app/errors';
import { randomUUID } from 'node:crypto';
import { MembershipRepository } from '../membership/membership.repository';
import { RoomAccessService } from '../membership/room-access.service';
import { RoomMembersService } from '../membership/room-members.service';
import { AttachedFile, toAttachmentView } from './attachment-view';
import { AttachmentRepository } from './attachment.repository';
import { AttachmentExpiry } from './attachment-expiry.service';
import { Attachment } from './attachment.schema';

const noSuchUpload = () => DomainError.notFound('No such upload');

/**
 * Uploads (begin → chunks → commit) by whoever may post in the room, downloads by members of
 * the room only: to anyone else an attachment does not exist, whatever the room's kind.
 */
@Injectable()
export class AttachmentService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly access: RoomAccessService,
    private readonly members: RoomMembersService,
    private readonly memberships: MembershipRepository,
    private readonly limits: RateLimitService,
    private readonly expiry: AttachmentExpiry,
  ) {}

  /** Same rule as a send: a member, or anyone in a public room (who joins it). Counted per user, by files and MiB. */
  async begin({ actor, roomId, name, type, size }: BeginUploadRequest): Promise<UploadReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    await this.limits.consume(actor, 'upload');
    await this.limits.consume(actor, 'uploadMib', Math.max(1, Math.ceil(size / 2 ** 20)));
    if (!membership) await this.members.add(room, actor, 'member');
    const attachment: Attachment = {
      _id: randomUUID(),
      roomId: room._id,
      uploaderId: actor.id,
      name,
      type,
      size,
      chunks: chunkCountOf(size),
      complete: false,
      createdAt: new Date(),
      expiresAt: this.expiry.expiryOfNew(),
    };
    await this.attachments.insert(attachment);
    await this.expiry.schedule(attachment._id, attachment.expiresAt!);
    return { attachment: toAttachmentView(fileOf(attachment)) };
  }

  async putChunk({ actor, attachmentId, index, data }: UploadChunkRequest): Promise<UploadChunkReply> {
    const upload = await this.openUpload(actor, attachmentId);
    const bytes = Buffer.from(data, 'base64');
    const expected = chunkBytesOf(upload.size, index);
    if (expected < 0) throw DomainError.validation(`Chunk ${index} is out of range`);
    if (bytes.length !== expected) throw DomainError.validation(`Chunk ${index} must hold ${expected} bytes`);
    await this.attachments.putChunk(attachmentId, index, bytes);
    return {};
  }

  async commit({ actor, attachmentId }: CommitUploadRequest): Promise<UploadReply> {
    const upload = await this.openUpload(actor, attachmentId);
    const indexes = Array.from({ length: upload.chunks }, (_, i) => i);
    const present = await Promise.all(indexes.map((i) => this.attachments.hasChunk(attachmentId, i)));
    const missing = present.indexOf(false);
    if (missing >= 0) throw DomainError.validation(`Chunk ${missing} is missing`);
    await this.attachments.markComplete(attachmentId);
    return { attachment: toAttachmentView(fileOf(upload)) };
  }

  async get({ actor, attachmentId }: GetAttachmentRequest): Promise<GetAttachmentReply> {
    const attachment = await this.readable(actor, attachmentId);
    return { attachment: toAttachmentView(fileOf(attachment)), chunks: attachment.chunks };
  }

  async readChunk({ actor, attachmentId, index }: ReadChunkRequest): Promise<ReadChunkReply> {
    const attachment = await this.readable(actor, attachmentId);
    if (index >= attachment.chunks) throw DomainError.notFound('No such chunk');
    const data = await this.attachments.readChunk(attachmentId, index);
    if (!data) throw DomainError.notFound('No such chunk');
    return { data: data.toString('base64') };
  }

  /**
   * The files a message may carry: each a completed upload of the author to this room. Anything
   * else (unknown, someone else's, another room's, unfinished) is NOT_FOUND, as unknown ids are.
   */
  async attachable(actor: UserView, roomId: string, ids: string[]): Promise<AttachedFile[]> {
    const found = await Promise.all(ids.map((id) => this.attachments.findById(id)));
    const files = found.map((a) => {
      if (!a || !a.complete || a.uploaderId !== actor.id || a.roomId !== roomId) {
        throw DomainError.notFound('No such attachment');
      }
      return fileOf(a);
    });
    // Kept from now on (before the message is written: a send that then fails only keeps an upload).
    if (found.some((a) => a?.expiresAt) && !(await this.attachments.keep(ids))) {
      throw DomainError.notFound('No such attachment');
    }
    return files;
  }

  private async openUpload(actor: UserView, attachmentId: string): Promise<Attachment> {
    const upload = await this.attachments.findById(attachmentId);
    if (!upload || upload.uploaderId !== actor.id || upload.complete) throw noSuchUpload();
    return upload;
  }

  private async readable(actor: UserView, attachmentId: string): Promise<Attachment> {
    const attachment = await this.attachments.findById(attachmentId);
    if (!attachment || !attachment.complete) throw DomainError.notFound('No such attachment');
    const membership = await this.memberships.find(attachment.roomId, actor.id);
    if (!membership) throw DomainError.notFound('No such attachment');
    return attachment;
  }
}

function fileOf(a: Attachment): AttachedFile {
  return { id: a._id, name: a.name, type: a.type, size: a.size };
}
