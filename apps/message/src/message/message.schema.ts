import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { UserView } from '@app/contracts';
import { AttachedFile } from '../attachment/attachment-view';

@Schema({ collection: 'messages', versionKey: false })
export class Message {
  /** messageIdOf(roomId, seq): whether seq n exists is one `_id` lookup. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  roomId!: string;

  /** A message exists at seq n only if its insert won the `_id` of (room, n). */
  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop(raw({ _id: false, id: { type: String, required: true }, username: { type: String, required: true } }))
  author!: UserView;

  @Prop({ type: String, required: true })
  body!: string;

  /** A copy of each attached file's metadata (absent on messages without any). */
  @Prop({
    type: [raw({ _id: false, id: String, name: String, type: { type: String }, size: Number })],
    required: false,
    default: undefined,
  })
  attachments?: AttachedFile[];

  /** The users the body mentions who may read the room (absent when none). */
  @Prop({
    type: [raw({ _id: false, id: { type: String, required: true }, username: { type: String, required: true } })],
    required: false,
    default: undefined,
  })
  mentions?: UserView[];

  /** Unique per author across all rooms: the idempotency key of a send. */
  @Prop({ type: String, required: true })
  clientMsgId!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  /** Set by the last edit (last writer wins). */
  @Prop({ type: Date, required: false })
  editedAt?: Date;

  /** A tombstone: body emptied, seq kept so the room's seqs stay gapless. */
  @Prop({ type: Boolean, required: false })
  deleted?: boolean;

  @Prop({ type: Date, required: false })
  deletedAt?: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);
MessageSchema.index({ 'author.id': 1, clientMsgId: 1 }, { unique: true });
