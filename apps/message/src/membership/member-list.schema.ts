import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MemberRole } from './membership.schema';

/** One member of a room's member list. */
export interface MemberListEntry {
  username: string;
  role: MemberRole;
  joinedAt: Date;
}

/**
 * The members of one room, keyed by the room's id: a room view with its members is one `_id`
 * lookup, not a scan of the memberships. Kept up to date with the memberships (atomic `$set` /
 * `$unset` of one entry). One document per room: about 80 bytes a member, so a room of 100,000
 * members is an 8 MB document, well inside MongoDB's 16 MB.
 */
@Schema({ collection: 'member_lists', versionKey: false })
export class MemberList {
  /** The room's id. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** userId → entry. */
  @Prop({ type: Object, required: true, default: {} })
  members!: Record<string, MemberListEntry>;
}

export const MemberListSchema = SchemaFactory.createForClass(MemberList);
