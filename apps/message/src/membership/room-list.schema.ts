import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One room of a user's room list. */
export interface RoomListEntry {
  /** The user's read pointer in the room (only moves forward). */
  readSeq: number;
  joinedAt: Date;
}

/**
 * The rooms of one user, keyed by the user's id: listing them (every handshake, `GET /api/rooms`)
 * is one `_id` lookup, not a scan of the memberships. Kept up to date with the memberships
 * (atomic `$set` / `$unset` of one entry), which stay the authority on who may read a room.
 */
@Schema({ collection: 'room_lists', versionKey: false })
export class RoomList {
  /** The user's id. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** roomId → entry. */
  @Prop({ type: Object, required: true, default: {} })
  rooms!: Record<string, RoomListEntry>;
}

export const RoomListSchema = SchemaFactory.createForClass(RoomList);
