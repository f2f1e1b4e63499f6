import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The public rooms, in creation order: entry n (`_id` = String(n)) names the n-th. Rooms are never
 * deleted and never change kind, so the list only grows; entries are appended by insert, which
 * decides races by `_id`, and read from where a process last stopped: one `_id` lookup when
 * nothing is new.
 */
@Schema({ collection: 'public_rooms', versionKey: false })
export class PublicRoomEntry {
  /** String(n), n = 1, 2, … without gaps. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  roomId!: string;
}

export const PublicRoomEntrySchema = SchemaFactory.createForClass(PublicRoomEntry);
