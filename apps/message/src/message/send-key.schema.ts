import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The claim of a send (author, clientMsgId), keyed by its send key: a retry finds the message by
 * `_id`, and the insert of this document decides which writer stores the send. It is written
 * before the message: `tried` lists every id a writer was about to insert it at (added before each
 * insert), so a stored message of this send is always at one of them, whatever failed when.
 * `owner` (a writer process) and `at` say who claimed it when: a claim whose message is not stored
 * may be taken over by its own process once nothing there writes it, by another past the lease.
 */
@Schema({ collection: 'send_keys', versionKey: false })
export class SendKey {
  /** sendKeyOf(author.id, clientMsgId) */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The id the message is at, or about to be tried at. */
  @Prop({ type: String, required: true })
  messageId!: string;

  /** Every id tried (absent on older keys, written after their message: `messageId` then holds it). */
  @Prop({ type: [String], required: false, default: undefined })
  tried?: string[];

  /** Absent on keys written after their message (older versions): those messages are stored. */
  @Prop({ type: String, required: false })
  owner?: string;

  @Prop({ type: Date, required: false })
  at?: Date;
}

export const SendKeySchema = SchemaFactory.createForClass(SendKey);
