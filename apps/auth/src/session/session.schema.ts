import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A login, keyed by the hash of its token: verifying a token is one `_id` lookup. The token itself
 * is never stored, so a leaked table grants nothing. The hash is also the session id other services
 * name it by (logout, revocation events); it never leaves the backend.
 */
@Schema({ collection: 'sessions', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class Session {
  /** hashSessionToken(token) */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  userId!: string;

  @Prop({ type: String, required: true })
  username!: string;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  createdAt?: Date;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
