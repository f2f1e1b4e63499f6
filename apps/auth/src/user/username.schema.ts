import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The login record of a user, keyed by the lower-cased name: a login, a registration's name check
 * and a member lookup are each one `_id` lookup (FerretDB serves nothing else from an index), and
 * the `_id` itself makes a name unique without regard to case. `users` keeps the record by id.
 */
@Schema({ collection: 'usernames', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class Username {
  /** usernameKey(username) */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  userId!: string;

  /** As the user typed it at registration, shown to everyone. */
  @Prop({ type: String, required: true })
  username!: string;

  /** argon2id PHC string. */
  @Prop({ type: String, required: true })
  passwordHash!: string;

  createdAt?: Date;
}

export const UsernameSchema = SchemaFactory.createForClass(Username);
