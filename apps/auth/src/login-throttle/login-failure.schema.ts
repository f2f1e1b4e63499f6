import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Failed logins of one username or one client address within the current window. */
@Schema({ collection: 'login_failures', versionKey: false })
export class LoginFailure {
  /** Hash of the scope and value (see `throttleKey`), never the raw name or address. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Number, required: true })
  count!: number;

  /** End of the window, which opened at its first failure. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const LoginFailureSchema = SchemaFactory.createForClass(LoginFailure);
LoginFailureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
