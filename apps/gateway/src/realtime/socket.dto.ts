import { BODY_MAX, CLIENT_MSG_ID_PATTERN, CodePoints, MAX_ATTACHMENTS, MessageBody } from '@app/contracts';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsString,
  Matches,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

// Optional fields are optional when absent only: `null` is a wrong value, not a missing one.
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

// Room ids are only checked for being non-empty strings here: an id of any other form names no
// room, which is NOT_FOUND (see common/ids.ts), never VALIDATION_FAILED.

export class RoomJoinPayload {
  @IsString()
  @MinLength(1)
  roomId!: string;

  @present('afterSeq')
  @IsInt()
  @Min(0)
  afterSeq?: number;
}

export class RoomLeavePayload {
  @IsString()
  @MinLength(1)
  roomId!: string;
}

export class MessageSendPayload {
  @IsString()
  @MinLength(1)
  roomId!: string;

  @IsString()
  @Matches(CLIENT_MSG_ID_PATTERN, { message: 'clientMsgId must be 1 to 64 characters of A-Z, a-z, 0-9, "_" and "-"' })
  clientMsgId!: string;

  /** 1–4000 characters after trimming; may be empty or absent when attachments are given. */
  @MessageBody()
  body?: string;

  /** Uploads (POST /api/rooms/:id/attachments) of the sender to this room. */
  @present('attachmentIds')
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @ArrayUnique()
  @IsString({ each: true })
  attachmentIds?: string[];
}

// Message ids too: non-empty strings here, any other form is NOT_FOUND (common/ids.ts).

export class MessageEditPayload {
  @IsString()
  @MinLength(1)
  messageId!: string;

  @IsString()
  @CodePoints(1, BODY_MAX, { trim: true })
  body!: string;
}

export class MessageDeletePayload {
  @IsString()
  @MinLength(1)
  messageId!: string;
}

export class RoomReadPayload {
  @IsString()
  @MinLength(1)
  roomId!: string;

  @IsInt()
  @Min(0)
  seq!: number;
}

export class TypingPayload {
  @IsString()
  @MinLength(1)
  roomId!: string;

  @IsBoolean()
  typing!: boolean;
}

export class PresenceListPayload {
  @IsString()
  @MinLength(1)
  roomId!: string;
}
