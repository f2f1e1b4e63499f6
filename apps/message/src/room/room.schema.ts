import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { ROOM_KINDS, RoomKind, UserView } from '@app/contracts';

/** Key of the one general room every fresh stack has. */
export const GENERAL_ROOM_KEY = 'general';

@Schema({ collection: 'rooms', versionKey: false })
export class Room {
  /** A random UUID; for a direct room, directRoomIdOf(key), so opening it is an `_id` lookup. */
  @Prop({ type: String, required: true })
  _id!: string;

  /**
   * Unique: the room's own id for public and private rooms, `general` for the general room,
   * `dm:<idA>:<idB>` for direct rooms, so concurrent instances can never create a second one.
   */
  @Prop({ type: String, required: true })
  key!: string;

  /** Empty for direct rooms: each viewer sees the other member's username. */
  @Prop({ type: String, default: '' })
  name!: string;

  @Prop({ type: String, required: true, enum: ROOM_KINDS })
  kind!: RoomKind;

  /** Kept with each membership change (atomic `$inc`); re-counted from the member list when a view reads it. */
  @Prop({ type: Number, required: true, default: 0 })
  memberCount!: number;

  /** Raised with each change of memberCount: orders the changes announced by different instances. */
  @Prop({ type: Number, required: false })
  statsVersion?: number;

  /** A hint: raised in the background after stored messages, never ahead of them; readers probe past it. */
  @Prop({ type: Number, required: true, default: 0 })
  lastSeq!: number;

  /** Direct rooms only: both users, so a view needs no membership read. */
  @Prop({ type: [raw({ _id: false, id: { type: String }, username: { type: String } })], default: undefined })
  participants?: UserView[];

  @Prop({ type: String, required: true })
  createdBy!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const RoomSchema = SchemaFactory.createForClass(Room);
RoomSchema.index({ key: 1 }, { unique: true });
