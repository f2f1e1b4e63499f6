import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { BODY_MAX, CLIENT_MSG_ID_PATTERN, HISTORY_LIMIT_MAX, ID_MAX, ROOM_NAME_MAX } from '../rules';
import { AttachmentIdList, CodePoints, MessageBody, NoControlChars, OptionalField } from '../validators';
import { MessageView, RoomKind, RoomView, UserView } from '../views';
import type { ErrorBody } from '../error-code';

/** A user as one service vouches for it to another (the gateway, from a verified session). */
export class UserRef implements UserView {
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  /** No rate limit applies: the gateway saw the request come from an address in RATE_LIMIT_EXEMPT. */
  @IsOptional()
  @IsBoolean()
  exempt?: boolean;
}

export abstract class ActorRequest {
  @IsDefined()
  @ValidateNested()
  @Type(() => UserRef)
  actor!: UserRef;
}

export abstract class RoomRequest extends ActorRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  roomId!: string;
}

export class ListRoomsRequest extends ActorRequest {
  /** Only the rooms the actor is a member of (what a socket subscribes to), not every public room. */
  @IsOptional()
  @IsIn([true, false])
  memberOnly?: boolean;
}
export class ListRoomsReply {
  @ApiProperty({ type: () => [RoomView] })
  rooms!: RoomView[];
}

export class CreateRoomRequest extends ActorRequest {
  @IsString()
  @CodePoints(1, ROOM_NAME_MAX, { trim: true })
  @NoControlChars()
  name!: string;

  @IsIn(['public', 'private'])
  kind!: 'public' | 'private';

  /** Resolved by the gateway from usernames; the actor need not be listed. */
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => UserRef)
  members!: UserRef[];
}
export class RoomReply {
  @ApiProperty({ type: () => RoomView })
  room!: RoomView;
}

export class GetRoomRequest extends RoomRequest {}
export class GetRoomReply {
  @ApiProperty({ type: () => RoomView })
  room!: RoomView;

  @ApiProperty({ type: () => [UserView] })
  members!: UserView[];
}

export class JoinRoomRequest extends RoomRequest {
  @OptionalField()
  @IsInt()
  @Min(0)
  afterSeq?: number;
}
export class JoinRoomReply {
  @ApiProperty({ type: () => RoomView })
  room!: RoomView;

  @ApiProperty({ type: () => [MessageView], description: 'What the caller missed after afterSeq, ascending by seq' })
  missed!: MessageView[];

  @ApiProperty({ description: 'More were missed than returned: page the rest over HTTP' })
  hasMore!: boolean;
}

export class LeaveRoomRequest extends RoomRequest {}
export type LeaveRoomReply = Record<string, never>;

export class AddMemberRequest extends RoomRequest {
  @IsDefined()
  @ValidateNested()
  @Type(() => UserRef)
  member!: UserRef;
}

export class OpenDirectRequest extends ActorRequest {
  @IsDefined()
  @ValidateNested()
  @Type(() => UserRef)
  peer!: UserRef;
}
export interface OpenDirectReply {
  room: RoomView;
  created: boolean;
}

export class SendMessageRequest extends RoomRequest {
  @IsString()
  @Matches(CLIENT_MSG_ID_PATTERN, { message: 'clientMsgId must be 1 to 64 characters of A-Z, a-z, 0-9, "_" and "-"' })
  clientMsgId!: string;

  /** May be empty (or absent) when attachments are given. */
  @MessageBody()
  body?: string;

  /** Completed uploads of the actor to this room (MAX_ATTACHMENTS at most, no repeats). */
  @OptionalField()
  @AttachmentIdList()
  @MinLength(1, { each: true })
  @MaxLength(ID_MAX, { each: true })
  attachmentIds?: string[];
}
export class SendMessageReply {
  @ApiProperty({ type: () => MessageView })
  message!: MessageView;
}

/** Most sends one SendMessagesRequest carries (a gateway's sends of one event-loop turn). */
export const SEND_BATCH_MAX = 256;

/**
 * Several sends in one request, each as its own SendMessageRequest with the id of the request it is
 * part of: the service validates and answers each on its own (one refused send fails no other).
 */
export class SendMessagesRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SEND_BATCH_MAX)
  sends!: BatchedSend[];
}
/** One send of a SendMessagesRequest: checked by the service item by item, not by the batch's pipe. */
export interface BatchedSend {
  /** The X-Request-Id of the client request this send answers (logged, and carried by its event). */
  requestId?: string;
  /** Its W3C trace context (`traceparent`, `tracestate`), while tracing is on. */
  trace?: Record<string, string>;
  send: SendMessageRequest;
}
/** In the order of the request's sends: the stored message, or why that send was refused. */
export class SendMessagesReply {
  results!: SendOutcome[];
}
export type SendOutcome = SendMessageReply | { error: ErrorBody };

export class HistoryRequest extends RoomRequest {
  @IsOptional()
  @IsInt()
  @Min(0)
  before?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  after?: number;

  @IsInt()
  @Min(1)
  @Max(HISTORY_LIMIT_MAX)
  limit!: number;
}
export class HistoryReply {
  @ApiProperty({ type: () => [MessageView], description: 'Ascending by seq' })
  messages!: MessageView[];

  @ApiProperty({ description: 'No cursor or `before`: older messages exist; `after`: newer messages exist' })
  hasMore!: boolean;
}

abstract class MessageRequest extends ActorRequest {
  /** A message's id as clients see it (`MessageView.id`); it names its room. */
  @IsString()
  @MinLength(1)
  @MaxLength(2 * ID_MAX)
  messageId!: string;
}

/** Author only; the body follows the rules of a send. */
export class EditMessageRequest extends MessageRequest {
  @IsString()
  @CodePoints(1, BODY_MAX, { trim: true })
  body!: string;
}
export class EditMessageReply {
  @ApiProperty({ type: () => MessageView })
  message!: MessageView;
}

/** Author or room owner; leaves a tombstone (seq kept). Deleting twice is fine. */
export class DeleteMessageRequest extends MessageRequest {}
export type DeleteMessageReply = Record<string, never>;

/** Moves the actor's read pointer forward (never back); a seq past the room's last is clamped. */
export class MarkReadRequest extends RoomRequest {
  @IsInt()
  @Min(0)
  seq!: number;
}
export interface MarkReadReply {
  /** The pointer after the call (clamped, never lower than before). */
  seq: number;
}

/** Fan-out on `chat.room.<roomId>.events.v1`: what every member's socket hears. */
export type RoomEvent =
  /** `roomKind`: for the search index, which scopes public rooms without asking. */
  | { type: 'message.new'; message: MessageView; roomKind?: RoomKind }
  | { type: 'member.changed'; roomId: string; user: UserView; change: 'joined' | 'left' }
  /** Not ordered by seq (the sequencer orders `message.new` only): the full edited message. */
  | { type: 'message.updated'; message: MessageView }
  | { type: 'message.deleted'; id: string; roomId: string; seq: number }
  | { type: 'room.read'; roomId: string; user: UserView; seq: number };

/** Fan-out on `chat.user.<userId>.events.v1`: membership changes the user's own sockets act on. */
export type UserEvent =
  | { type: 'room.added'; room: RoomView }
  | { type: 'room.removed'; roomId: string }
  /** The user is mentioned in a new message (or one edited to mention them). */
  | { type: 'mention'; roomId: string; message: MessageView };

/**
 * Between message-service instances only: a room's counts changed, or a member left. Each instance
 * keeps the counts of the rooms it has seen, so room views need no read; `lastSeq` only rises, and
 * a `memberCount` counts only when its `version` is newer than the one held.
 */
export interface RoomStatsEvent {
  roomId: string;
  lastSeq?: number;
  memberCount?: number;
  version?: number;
  /** A user who stopped being a member: instances drop the membership they hold. */
  left?: string;
  /** The seq of a message just edited or deleted: instances drop the copies of the room they hold. */
  revised?: number;
}
