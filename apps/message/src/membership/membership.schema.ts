import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type MemberRole = 'owner' | 'member';

@Schema({ collection: 'memberships', versionKey: false })
export class Membership {
  /** membershipIdOf(roomId, userId): the membership check of a send is an `_id` lookup. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  roomId!: string;

  @Prop({ type: String, required: true })
  userId!: string;

  /** Usernames never change, so members can be listed without asking the auth service. */
  @Prop({ type: String, required: true })
  username!: string;

  @Prop({ type: String, required: true, enum: ['owner', 'member'] })
  role!: MemberRole;

  @Prop({ type: Date, required: true })
  joinedAt!: Date;

  /** The read pointer when the user joined; it then moves on in the user's room list (RoomListEntry). */
  @Prop({ type: Number, required: true, default: 0 })
  lastReadSeq!: number;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
