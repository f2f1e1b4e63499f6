import { Injectable } from '@nestjs/common';
import {
  ATTACHMENT_CHUNK_BYTES,
  AttachmentView,
  ChatSubject,
  ErrorCode,
  UserRef,
  UserView,
  chunkCountOf,
} from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { assertRoomId, isKnownIdShape } from '../common/ids';
import { isAllowedType, mediaTypeOf, safeFileName, typeFromContent } from './attachment-type';

/** What multer's memory storage hands over (the parts we use). */
export interface ReceivedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface Download {
  attachment: AttachmentView;
  /** The bytes, one chunk at a time, each fetched only when the previous one was taken. */
  chunks: AsyncGenerator<Buffer>;
}

/**
 * Moves files between HTTP and the message service, which stores them: in chunks, since NATS
 * caps a payload at 1 MiB, one chunk in flight at a time so memory stays flat per request.
 */
@Injectable()
export class AttachmentsService {
  constructor(private readonly rpc: RpcClient) {}

  async upload(
    actor: UserView,
    roomId: string,
    file: ReceivedFile | undefined,
  ): Promise<{ attachment: AttachmentView }> {
    assertRoomId(roomId);
    if (!file) throw DomainError.validation('A file is required, in the multipart field "file"');
    const declared = mediaTypeOf(file.mimetype);
    if (!isAllowedType(declared)) {
      throw new DomainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `Files of type "${declared || 'unknown'}" are not accepted`,
      );
    }
    const type = typeFromContent(declared, file.buffer);
    if (type === null) {
      throw new DomainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `The file's content is not an accepted "${declared}" file`,
      );
    }
    const who = ref(actor);
    const { attachment } = await this.rpc.request(ChatSubject.BeginUpload, {
      actor: who,
      roomId,
      name: safeFileName(file.originalname),
      type,
      size: file.size,
    });
    const count = chunkCountOf(file.size);
    for (let index = 0; index < count; index++) {
      const data = file.buffer.subarray(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES);
      await this.rpc.request(ChatSubject.UploadChunk, {
        actor: who,
        attachmentId: attachment.id,
        index,
        data: data.toString('base64'),
      });
    }
    return this.rpc.request(ChatSubject.CommitUpload, { actor: who, attachmentId: attachment.id });
  }

  /**
   * Metadata and the first chunk now, so a refusal, or an upload deleted meanwhile (expired), is a
   * clean 404 before any header is sent (a file of one chunk, most of them, is then never cut);
   * the other chunks as the response drains.
   */
  async download(actor: UserView, attachmentId: string): Promise<Download> {
    if (!isKnownIdShape(attachmentId)) throw DomainError.notFound('No such attachment');
    const who = ref(actor);
    const { attachment, chunks } = await this.rpc.request(ChatSubject.GetAttachment, { actor: who, attachmentId });
    const rpc = this.rpc;
    const readChunk = async (index: number) =>
      Buffer.from((await rpc.request(ChatSubject.ReadChunk, { actor: who, attachmentId, index })).data, 'base64');
    const first = chunks > 0 ? await readChunk(0) : undefined;
    async function* read(): AsyncGenerator<Buffer> {
      if (first) yield first;
      for (let index = 1; index < chunks; index++) yield await readChunk(index);
    }
    return { attachment, chunks: read() };
  }
}

function ref(user: UserView & { exempt?: boolean }): UserRef {
  return { id: user.id, username: user.username, ...(user.exempt ? { exempt: true } : {}) };
}
