import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A failed-login counter of rate-limiter-flexible (IdKeyedRateLimiter), keyed by `_id`: the
 * limiter's key prefix and a hash of what it counts (see throttleKey), never a raw name or address.
 */
@Schema({ collection: 'login_limits', versionKey: false })
export class LoginLimit {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Number, required: true })
  points!: number;

  /** The end of the counter's window. */
  @Prop({ type: Date, required: false })
  expire!: Date | null;
}

export const LoginLimitSchema = SchemaFactory.createForClass(LoginLimit);
LoginLimitSchema.index({ expire: 1 }, { expireAfterSeconds: 0 });
