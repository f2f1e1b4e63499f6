import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'users', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class User {
  /** Opaque id we generate (UUID), so an unknown id is simply absent. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** As the user typed it at registration, shown to everyone. */
  @Prop({ type: String, required: true })
  username!: string;

  /** The uniqueness key: usernames are unique without regard to case. */
  @Prop({ type: String, required: true })
  usernameLower!: string;

  /** argon2id PHC string. */
  @Prop({ type: String, required: true })
  passwordHash!: string;

  createdAt?: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ usernameLower: 1 }, { unique: true });
