import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A login. The token itself is never stored: only its hash, so a leaked table grants nothing. */
@Schema({ collection: 'sessions', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class Session {
  /** The session id other services name it by (logout, revocation events); unrelated to the token. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  tokenHash!: string;

  @Prop({ type: String, required: true })
  userId!: string;

  @Prop({ type: String, required: true })
  username!: string;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  createdAt?: Date;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
SessionSchema.index({ tokenHash: 1 }, { unique: true });
SessionSchema.index({ userId: 1 });
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
