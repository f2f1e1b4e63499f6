/** Shapes of the client contract, as they travel between services and to clients. */

export interface UserView {
  id: string;
  username: string;
}

export type RoomKind = 'public' | 'private' | 'direct';
export const ROOM_KINDS: readonly RoomKind[] = ['public', 'private', 'direct'];

export interface RoomView {
  id: string;
  name: string;
  kind: RoomKind;
  memberCount: number;
  lastSeq: number;
  unread?: number;
  /** Messages past the viewer's read pointer that mention them (members only). */
  unreadMentions?: number;
}

export interface AttachmentView {
  id: string;
  name: string;
  type: string;
  size: number;
  url: string;
}

export interface MessageView {
  id: string;
  roomId: string;
  seq: number;
  author: UserView;
  body: string;
  attachments: AttachmentView[];
  clientMsgId: string;
  createdAt: string;
  editedAt?: string;
  deleted?: boolean;
  /** The users the body mentions (`@username`) who exist and may read the room; absent when none. */
  mentions?: UserView[];
}

export interface SessionView {
  sessionId: string;
  user: UserView;
  expiresAt: string;
}
