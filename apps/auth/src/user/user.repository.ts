import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ensureIndexes, isDuplicateKey } from '@app/mongo';
import { User } from './user.schema';
import { Username } from './username.schema';

export type NewUser = Omit<User, 'createdAt'>;

/** Users by name (`usernames`, the access path) and by id (`users`); every lookup is by `_id`. */
@Injectable()
export class UserRepository implements OnModuleInit {
  private readonly logger = new Logger(UserRepository.name);

  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(Username.name) private readonly usernames: Model<Username>,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.users, this.logger);
    await ensureIndexes(this.usernames, this.logger);
  }

  /**
   * Inserts the user; false when the name (without regard to case) is already taken. The name
   * entry goes first: it claims the name, and alone it is enough to log in; the record by id follows.
   */
  async insert(user: NewUser): Promise<boolean> {
    try {
      await this.usernames.create({
        _id: user.usernameLower,
        userId: user._id,
        username: user.username,
        passwordHash: user.passwordHash,
      });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    await this.users.create(user);
    return true;
  }

  async findByUsernameLower(usernameLower: string): Promise<User | null> {
    const entry = await this.usernames.findById(usernameLower).lean<Username>().exec();
    return entry && userOf(entry);
  }

  /** One `_id` lookup per name, side by side (FerretDB scans for `$in`). */
  async findManyByUsernameLower(usernamesLower: string[]): Promise<User[]> {
    const found = await Promise.all(usernamesLower.map((name) => this.findByUsernameLower(name)));
    return found.filter((u): u is User => u !== null);
  }
}

function userOf(entry: Username): User {
  return {
    _id: entry.userId,
    username: entry.username,
    usernameLower: entry._id,
    passwordHash: entry.passwordHash,
    createdAt: entry.createdAt,
  };
}
