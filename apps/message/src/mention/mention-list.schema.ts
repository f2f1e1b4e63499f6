import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The mentions of one user, keyed by the user's id: each room view's `unreadMentions` is one `_id`
 * lookup for all of the user's rooms. `rooms` maps a room's id to the seqs of the messages that
 * mention the user there, newest last, at most MENTIONS_KEPT per room; the unread ones are those
 * past the user's read pointer.
 */
@Schema({ collection: 'mention_lists', versionKey: false })
export class MentionList {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Object, required: true, default: {} })
  rooms!: Record<string, number[]>;
}

export const MentionListSchema = SchemaFactory.createForClass(MentionList);

/** A room's count stops at this many unread mentions ("99+" in a client). */
export const MENTIONS_KEPT = 100;
