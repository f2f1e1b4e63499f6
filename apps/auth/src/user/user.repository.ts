import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ensureIndexes } from '../database/ensure-indexes';
import { isDuplicateKey } from '@app/mongo';
import { User } from './user.schema';

export type NewUser = Omit<User, 'createdAt'>;

@Injectable()
export class UserRepository implements OnModuleInit {
  private readonly logger = new Logger(UserRepository.name);

  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.users, this.logger);
  }

  /** Inserts the user; false when the name (without regard to case) is already taken. */
  async insert(user: NewUser): Promise<boolean> {
    try {
      await this.users.create(user);
      return true;
    } catch (err) {
      // FerretDB does not say which index refused the write: confirm it was the name.
      if (isDuplicateKey(err) && (await this.findByUsernameLower(user.usernameLower))) return false;
      throw err;
    }
  }

  findByUsernameLower(usernameLower: string): Promise<User | null> {
    return this.users.findOne({ usernameLower }).lean<User>().exec();
  }

  findManyByUsernameLower(usernamesLower: string[]): Promise<User[]> {
    if (usernamesLower.length === 0) return Promise.resolve([]);
    return this.users
      .find({ usernameLower: { $in: usernamesLower } })
      .lean<User[]>()
      .exec();
  }
}
