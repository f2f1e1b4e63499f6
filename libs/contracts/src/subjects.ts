import type { HealthReply, HealthRequest } from './health.payloads';
import type {
  LoginReply,
  LoginRequest,
  LogoutReply,
  LogoutRequest,
  RegisterReply,
  RegisterRequest,
  ResolveUsersReply,
  ResolveUsersRequest,
  SessionRevokedEvent,
  VerifySessionReply,
  VerifySessionRequest,
} from './auth/auth.payloads';
import type {
  AddMemberRequest,
  CreateRoomRequest,
  DeleteMessageReply,
  DeleteMessageRequest,
  EditMessageReply,
  EditMessageRequest,
  GetRoomReply,
  GetRoomRequest,
  HistoryReply,
  HistoryRequest,
  JoinRoomReply,
  JoinRoomRequest,
  LeaveRoomReply,
  LeaveRoomRequest,
  ListRoomsReply,
  ListRoomsRequest,
  MarkReadReply,
  MarkReadRequest,
  OpenDirectReply,
  OpenDirectRequest,
  RoomEvent,
  RoomReply,
  SendMessageReply,
  SendMessageRequest,
  SendMessagesReply,
  SendMessagesRequest,
  UserEvent,
  RoomStatsEvent,
} from './chat/chat.payloads';
import type { PresenceBeacon, PresenceSyncReply, RoomPresenceEvent, TypingEvent } from './chat/realtime.payloads';
import type {
  ExportMessagesReply,
  ExportMessagesRequest,
  ExportRoomsReply,
  ExportRoomsRequest,
  SearchReply,
  SearchRequest,
} from './chat/search.payloads';
import type {
  BeginUploadRequest,
  CommitUploadRequest,
  GetAttachmentReply,
  GetAttachmentRequest,
  ReadChunkReply,
  ReadChunkRequest,
  UploadChunkReply,
  UploadChunkRequest,
  UploadReply,
} from './chat/attachment.payloads';

/**
 * Request subjects: each is served by one handler in a queue group named after the subject,
 * so any number of service instances share the load and each request is served once.
 */
export const AuthSubject = {
  Health: 'auth.health.v1',
  Register: 'auth.user.register.v1',
  ResolveUsers: 'auth.user.resolve.v1',
  Login: 'auth.session.login.v1',
  Logout: 'auth.session.logout.v1',
  Verify: 'auth.session.verify.v1',
} as const;

export const ChatSubject = {
  Health: 'chat.health.v1',
  ListRooms: 'chat.room.list.v1',
  CreateRoom: 'chat.room.create.v1',
  GetRoom: 'chat.room.get.v1',
  JoinRoom: 'chat.room.join.v1',
  LeaveRoom: 'chat.room.leave.v1',
  AddMember: 'chat.room.member.add.v1',
  OpenDirect: 'chat.dm.open.v1',
  SendMessage: 'chat.message.send.v1',
  /** Many sends in one request: what a gateway sends (one request per event-loop turn). */
  SendMessages: 'chat.message.send-many.v1',
  History: 'chat.message.history.v1',
  EditMessage: 'chat.message.edit.v1',
  DeleteMessage: 'chat.message.delete.v1',
  /** Served by the search service. */
  Search: 'chat.search.query.v1',
  SearchHealth: 'chat.search.health.v1',
  /** Served by the message service, asked by the search service only (a rebuild of its index). */
  ExportRooms: 'chat.export.rooms.v1',
  ExportMessages: 'chat.export.messages.v1',
  MarkRead: 'chat.room.read.v1',
  BeginUpload: 'chat.attachment.begin.v1',
  UploadChunk: 'chat.attachment.chunk.v1',
  CommitUpload: 'chat.attachment.commit.v1',
  GetAttachment: 'chat.attachment.get.v1',
  ReadChunk: 'chat.attachment.read.v1',
} as const;

/** Request subject → its payload class and reply type: a wrong payload is a compile error. */
export interface RequestMap {
  [AuthSubject.Health]: { request: HealthRequest; reply: HealthReply };
  [ChatSubject.Health]: { request: HealthRequest; reply: HealthReply };
  [AuthSubject.Register]: { request: RegisterRequest; reply: RegisterReply };
  [AuthSubject.ResolveUsers]: { request: ResolveUsersRequest; reply: ResolveUsersReply };
  [AuthSubject.Login]: { request: LoginRequest; reply: LoginReply };
  [AuthSubject.Logout]: { request: LogoutRequest; reply: LogoutReply };
  [AuthSubject.Verify]: { request: VerifySessionRequest; reply: VerifySessionReply };
  [ChatSubject.ListRooms]: { request: ListRoomsRequest; reply: ListRoomsReply };
  [ChatSubject.CreateRoom]: { request: CreateRoomRequest; reply: RoomReply };
  [ChatSubject.GetRoom]: { request: GetRoomRequest; reply: GetRoomReply };
  [ChatSubject.JoinRoom]: { request: JoinRoomRequest; reply: JoinRoomReply };
  [ChatSubject.LeaveRoom]: { request: LeaveRoomRequest; reply: LeaveRoomReply };
  [ChatSubject.AddMember]: { request: AddMemberRequest; reply: RoomReply };
  [ChatSubject.OpenDirect]: { request: OpenDirectRequest; reply: OpenDirectReply };
  [ChatSubject.SendMessage]: { request: SendMessageRequest; reply: SendMessageReply };
  [ChatSubject.SendMessages]: { request: SendMessagesRequest; reply: SendMessagesReply };
  [ChatSubject.History]: { request: HistoryRequest; reply: HistoryReply };
  [ChatSubject.EditMessage]: { request: EditMessageRequest; reply: EditMessageReply };
  [ChatSubject.DeleteMessage]: { request: DeleteMessageRequest; reply: DeleteMessageReply };
  [ChatSubject.Search]: { request: SearchRequest; reply: SearchReply };
  [ChatSubject.SearchHealth]: { request: HealthRequest; reply: HealthReply };
  [ChatSubject.ExportRooms]: { request: ExportRoomsRequest; reply: ExportRoomsReply };
  [ChatSubject.ExportMessages]: { request: ExportMessagesRequest; reply: ExportMessagesReply };
  [ChatSubject.MarkRead]: { request: MarkReadRequest; reply: MarkReadReply };
  [ChatSubject.BeginUpload]: { request: BeginUploadRequest; reply: UploadReply };
  [ChatSubject.UploadChunk]: { request: UploadChunkRequest; reply: UploadChunkReply };
  [ChatSubject.CommitUpload]: { request: CommitUploadRequest; reply: UploadReply };
  [ChatSubject.GetAttachment]: { request: GetAttachmentRequest; reply: GetAttachmentReply };
  [ChatSubject.ReadChunk]: { request: ReadChunkRequest; reply: ReadChunkReply };
}
export type RequestSubject = keyof RequestMap;
export type RequestOf<S extends RequestSubject> = RequestMap[S]['request'];
export type ReplyOf<S extends RequestSubject> = RequestMap[S]['reply'];

/**
 * Fan-out subjects: plain subscriptions, never in a queue group, so every gateway that holds
 * an interested socket hears each event. Room and user subjects carry the id as one token, so
 * a gateway subscribes only to the rooms and users it holds sockets for.
 */
export const EventSubject = {
  SessionRevoked: 'auth.session.revoked.v1',
  /** Gateways' presence beacons and sync requests (every gateway listens; no user is named). */
  Presence: 'chat.presence.v2',
  /** Presence claims of one room's members: same interest rule as `room`. */
  roomPresence: (roomId: string): RoomPresenceSubject => `chat.room.${roomId}.presence.v1`,
  /** Answers to one gateway's presence sync. */
  presenceReplies: (gatewayId: string): PresenceRepliesSubject => `chat.presence.gateway.${gatewayId}.v1`,
  room: (roomId: string): RoomEventSubject => `chat.room.${roomId}.events.v1`,
  /** Typing in one room: same interest rule as `room`, apart from the ordered message stream. */
  typing: (roomId: string): RoomTypingSubject => `chat.room.${roomId}.typing.v1`,
  user: (userId: string): UserEventSubject => `chat.user.${userId}.events.v1`,
  /** Rooms' counts, heard by every message-service instance (never by gateways). */
  RoomStats: 'chat.rooms.stats.v1',
} as const;
/**
 * A message-service writer's liveness: each instance answers on the subject of its writer id
 * while it runs (plain subscription, no payload). A send claimed by a writer no one answers for
 * (NATS: no responders) is taken over at once instead of after the claim's lease.
 */
export const WriterSubject = {
  alive: (owner: string): WriterAliveSubject => `chat.writer.${owner}.alive.v1`,
  /**
   * Each message-service instance's beacon (its request address, `WriterBeacon`), every second:
   * the instances alive, among which each room has one writer (rendezvous hashing).
   */
  Beacon: 'chat.writer.beacon.v1',
} as const;
/** A message-service instance announcing itself: sends can be addressed to it at `at`. */
export interface WriterBeacon {
  at: string;
  /** True once when it stops: the others drop it at once. */
  gone?: boolean;
}
export type WriterAliveSubject = `chat.writer.${string}.alive.v1`;

export type RoomEventSubject = `chat.room.${string}.events.v1`;
export type RoomTypingSubject = `chat.room.${string}.typing.v1`;
export type RoomPresenceSubject = `chat.room.${string}.presence.v1`;
export type PresenceRepliesSubject = `chat.presence.gateway.${string}.v1`;
export type UserEventSubject = `chat.user.${string}.events.v1`;

export interface EventMap {
  [EventSubject.SessionRevoked]: SessionRevokedEvent;
  [EventSubject.Presence]: PresenceBeacon;
  [EventSubject.RoomStats]: RoomStatsEvent;
}
/** Event subject → payload, for fixed and per-id subjects alike. */
export type EventOf<S extends string> = S extends keyof EventMap
  ? EventMap[S]
  : S extends RoomEventSubject
    ? RoomEvent
    : S extends RoomTypingSubject
      ? TypingEvent
      : S extends RoomPresenceSubject
        ? RoomPresenceEvent
        : S extends PresenceRepliesSubject
          ? PresenceSyncReply
          : S extends UserEventSubject
            ? UserEvent
            : never;

/**
 * A request subject addressed to one instance (`at`, its RequestServer's address) rather than to
 * the subject's queue group; served by the same handler, for handlers that accept it.
 */
export function directSubject(subject: RequestSubject, at: string): string {
  return `${subject}.at.${at}`;
}

/** Whether a request arrived on a directSubject. */
export function isDirectSubject(subject: string): boolean {
  return subject.includes('.at.');
}

/** Queue group of a request handler: one per handler, named after its subject. */
export function queueOf(subject: RequestSubject): string {
  return `q.${subject}`;
}
