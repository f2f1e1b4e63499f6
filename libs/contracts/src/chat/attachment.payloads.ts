import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ATTACHMENT_NAME_MAX, ID_MAX } from '../rules';
import { AttachmentView } from '../views';
import { ActorRequest, RoomRequest } from './chat.payloads';

/**
 * Uploads travel from the gateway to the message service in chunks (NATS caps a payload at
 * 1 MiB): begin → chunk × n → commit. Until committed an upload cannot be attached or read.
 */
export class BeginUploadRequest extends RoomRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(ATTACHMENT_NAME_MAX * 2)
  name!: string;

  /** A media type the gateway already checked against its allow-list (lower case, no parameters). */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/)
  type!: string;

  @IsInt()
  @Min(0)
  @Max(2 ** 40)
  size!: number;
}
export class UploadReply {
  @ApiProperty({ type: () => AttachmentView })
  attachment!: AttachmentView;
}

abstract class AttachmentRequest extends ActorRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  attachmentId!: string;
}

export class UploadChunkRequest extends AttachmentRequest {
  @IsInt()
  @Min(0)
  index!: number;

  /** The chunk's bytes, base64 (ATTACHMENT_CHUNK_BYTES at most, decoded). */
  @IsString()
  @IsBase64()
  data!: string;
}
export type UploadChunkReply = Record<string, never>;

export class CommitUploadRequest extends AttachmentRequest {}

/** The attachment's metadata, to a member of its room only (anyone else: NOT_FOUND). */
export class GetAttachmentRequest extends AttachmentRequest {}
export interface GetAttachmentReply {
  attachment: AttachmentView;
  chunks: number;
}

export class ReadChunkRequest extends AttachmentRequest {
  @IsInt()
  @Min(0)
  index!: number;
}
export interface ReadChunkReply {
  /** base64 */
  data: string;
}
