import { IntersectionType, PickType } from '@nestjs/mapped-types';
import { IsBoolean, IsString, MinLength } from 'class-validator';
import { EditMessageRequest, JoinRoomRequest, MarkReadRequest, SendMessageRequest } from '../chat/chat.payloads';
import { AttachmentIdList, OptionalField } from '../validators';
import type { ClientEventName, ClientPayload } from './client-to-server';

// Each socket payload is its NATS request without `actor` (the gateway adds it from the session):
// the field rules are picked from the request class, so each is written once. Ids are the one
// exception: on a socket any non-empty string is a well-formed id, and one of a form never issued
// names nothing, which the gateway answers NOT_FOUND (never VALIDATION_FAILED) before asking anyone.

class RoomRef {
  @IsString()
  @MinLength(1)
  roomId!: string;
}

class MessageRef {
  @IsString()
  @MinLength(1)
  messageId!: string;
}

export class RoomJoinPayload extends IntersectionType(RoomRef, PickType(JoinRoomRequest, ['afterSeq'] as const)) {}

export class RoomLeavePayload extends RoomRef {}

export class MessageSendPayload extends IntersectionType(
  RoomRef,
  PickType(SendMessageRequest, ['clientMsgId', 'body'] as const),
) {
  /** Uploads (POST /api/rooms/:id/attachments) of the sender to this room; ids of any form, as above. */
  @OptionalField()
  @AttachmentIdList()
  attachmentIds?: string[];
}

export class MessageEditPayload extends IntersectionType(MessageRef, PickType(EditMessageRequest, ['body'] as const)) {}

export class MessageDeletePayload extends MessageRef {}

export class RoomReadPayload extends IntersectionType(RoomRef, PickType(MarkReadRequest, ['seq'] as const)) {}

/** Typing travels no request: its one rule is here. */
export class TypingPayload extends RoomRef {
  @IsBoolean()
  typing!: boolean;
}

export class PresenceListPayload extends RoomRef {}

/** Each client → server event's payload class, which the gateway validates the event's payload against. */
export const CLIENT_PAYLOADS: { [E in ClientEventName]: new () => ClientPayload<E> } = {
  'room:join': RoomJoinPayload,
  'room:leave': RoomLeavePayload,
  'message:send': MessageSendPayload,
  'message:edit': MessageEditPayload,
  'message:delete': MessageDeletePayload,
  'room:read': RoomReadPayload,
  typing: TypingPayload,
  'presence:list': PresenceListPayload,
};
