import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The rooms of one user, keyed by the user's id: listing them (every handshake, `GET /api/rooms`)
 * is one `_id` lookup, not a scan of the memberships. `rooms` maps each room's id to the user's
 * read pointer there (plain numbers: FerretDB decodes nested documents slowly). Kept up to date
 * with the memberships (atomic `$set` / `$unset` of one entry), which stay the authority on who
 * may read a room.
 */
@Schema({ collection: 'room_lists', versionKey: false })
export class RoomList {
  /** The user's id. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** roomId → read pointer (the last seq the user has read; only moves forward). */
  @Prop({ type: Object, required: true, default: {} })
  rooms!: Record<string, number>;
}

export const RoomListSchema = SchemaFactory.createForClass(RoomList);
