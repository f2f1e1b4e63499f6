import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Shapes of the client contract, as they travel between services and to clients. Classes, not
 * interfaces, so that the OpenAPI and AsyncAPI documents describe them from here (`@ApiProperty`).
 */

export class UserView {
  @ApiProperty({ description: 'Opaque user id', example: '6650a1c2e4b0a1b2c3d4e5f6' })
  id!: string;

  @ApiProperty({ description: '3–32 characters of [A-Za-z0-9_.-], unique without regard to case', example: 'alice' })
  username!: string;
}

export type RoomKind = 'public' | 'private' | 'direct';
export const ROOM_KINDS: readonly RoomKind[] = ['public', 'private', 'direct'];

export class RoomView {
  @ApiProperty({ description: 'Opaque room id', example: '6650a1c2e4b0a1b2c3d4e5f7' })
  id!: string;

  @ApiProperty({ example: 'general' })
  name!: string;

  @ApiProperty({ enum: ROOM_KINDS, enumName: 'RoomKind' })
  kind!: RoomKind;

  @ApiProperty({ type: 'integer', minimum: 0 })
  memberCount!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: "The room's last message seq (0: none yet)" })
  lastSeq!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "Messages past the viewer's read pointer" })
  unread?: number;

  /** Messages past the viewer's read pointer that mention them (members only). */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: "Messages past the viewer's read pointer that mention them",
  })
  unreadMentions?: number;
}

export class AttachmentView {
  @ApiProperty({ description: 'Opaque attachment id' })
  id!: string;

  @ApiProperty({ description: 'File name (last path segment, at most 255 characters)', example: 'notes.pdf' })
  name!: string;

  @ApiProperty({ description: 'Media type, lower case', example: 'application/pdf' })
  type!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Bytes' })
  size!: number;

  @ApiProperty({ description: 'Where to download it (GET, members of its room only)', example: '/api/attachments/…' })
  url!: string;
}

export class MessageView {
  @ApiProperty({ description: 'Opaque message id', example: '6650a1c2e4b0a1b2c3d4e5f7:42' })
  id!: string;

  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: '1, 2, 3, … per room, no gaps, no repeats' })
  seq!: number;

  @ApiProperty({ type: () => UserView })
  author!: UserView;

  @ApiProperty({ description: 'As sent; 1–4000 characters after trimming unless attachments are given' })
  body!: string;

  @ApiProperty({ type: () => [AttachmentView] })
  attachments!: AttachmentView[];

  @ApiProperty({ description: "The sender's idempotency key: 1–64 characters of [A-Za-z0-9_-]" })
  clientMsgId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  editedAt?: string;

  @ApiPropertyOptional({
    description: 'true on a deleted message: its seq stays, its body is "" and its text is erased',
  })
  deleted?: boolean;

  /** The users the body mentions (`@username`) who exist and may read the room; absent when none. */
  @ApiPropertyOptional({
    type: () => [UserView],
    description: 'The users the body mentions (@username) who exist and may read the room; absent when none',
  })
  mentions?: UserView[];
}

export class SessionView {
  @ApiProperty()
  sessionId!: string;

  @ApiProperty({ type: () => UserView })
  user!: UserView;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
