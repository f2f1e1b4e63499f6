import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One counted login attempt against one username or one client address. Attempts are separate
 * documents rather than a counter because FerretDB v1 loses concurrent `$inc` updates; inserts
 * never conflict, so the count stays exact across any number of auth instances.
 */
@Schema({ collection: 'login_attempts', versionKey: false })
export class LoginAttempt {
  @Prop({ type: String, required: true })
  _id!: string;

  /** Hash of the scope and value (see `throttleKey`), never the raw name or address. */
  @Prop({ type: String, required: true })
  key!: string;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** When the attempt leaves every window and may be deleted. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const LoginAttemptSchema = SchemaFactory.createForClass(LoginAttempt);
LoginAttemptSchema.index({ key: 1, at: -1 });
LoginAttemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
