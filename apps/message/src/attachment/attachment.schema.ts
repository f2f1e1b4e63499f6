import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** An upload's metadata; its bytes are in `attachment_chunks`. Only `_id` lookups (FerretDB scans otherwise). */
@Schema({ collection: 'attachments', versionKey: false })
export class Attachment {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  roomId!: string;

  @Prop({ type: String, required: true })
  uploaderId!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true })
  type!: string;

  @Prop({ type: Number, required: true })
  size!: number;

  /** chunkCountOf(size) */
  @Prop({ type: Number, required: true })
  chunks!: number;

  /** Set by commit once every chunk is stored: before that it can be neither attached nor read. */
  @Prop({ type: Boolean, required: true })
  complete!: boolean;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  /** When an upload no message carries is deleted; unset once a message carries it. */
  @Prop({ type: Date, required: false })
  expiresAt?: Date;
}

export const AttachmentSchema = SchemaFactory.createForClass(Attachment);

/** One chunk of an upload's bytes, `_id` = chunkIdOf(attachmentId, index). */
@Schema({ collection: 'attachment_chunks', versionKey: false })
export class AttachmentChunk {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Buffer, required: true })
  data!: Buffer;
}

export const AttachmentChunkSchema = SchemaFactory.createForClass(AttachmentChunk);

export function chunkIdOf(attachmentId: string, index: number): string {
  return `${attachmentId}:${index}`;
}
