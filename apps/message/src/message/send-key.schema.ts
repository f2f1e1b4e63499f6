import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Points from a send's idempotency key to the message it stored, so the check that every send
 * makes first is an `_id` lookup. Written after the message: the message's unique
 * (author.id, clientMsgId) index is what guarantees idempotency; this is the fast path to it.
 */
@Schema({ collection: 'send_keys', versionKey: false })
export class SendKey {
  /** sendKeyOf(author.id, clientMsgId) */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  messageId!: string;
}

export const SendKeySchema = SchemaFactory.createForClass(SendKey);
