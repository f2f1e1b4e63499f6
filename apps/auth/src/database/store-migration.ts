import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Connection, Model, mongo } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { Session } from '../session/session.schema';
import { User } from '../user/user.schema';
import { Username } from '../user/username.schema';
import { ExpiryService } from './expiry.service';

/** Marks a migration as done (one document per step, by `_id`). */
export const MIGRATIONS_COLLECTION = 'migrations';
const KEYED_BY_ID = 'auth-keyed-by-id-v1';
const BATCH = 500;

/** A session as the first layout stored it: a random `_id` and the token hash beside it. */
interface LegacySession {
  _id: string;
  tokenHash: string;
  userId: string;
  username: string;
  expiresAt: Date;
  createdAt?: Date;
}

/**
 * Brings a store written by an older version to the layout where every lookup is by `_id`, once,
 * before the service answers (the module is imported by every feature, so its init runs first):
 * - `usernames` (by lower-cased name) is filled from `users`;
 * - sessions are re-keyed by token hash (live ones copied, expired ones dropped) and lose their
 *   `tokenHash` and `userId` indexes;
 * - the old per-attempt `login_attempts` collection is dropped: failure counts start afresh.
 * Each step is idempotent, so instances that boot together, or one that died half-way, are fine.
 * It reads the old collections once, whole; after that a marker document makes it one lookup.
 */
@Injectable()
export class StoreMigration implements OnModuleInit {
  private readonly logger = new Logger(StoreMigration.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(Username.name) private readonly usernames: Model<Username>,
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    private readonly expiries: ExpiryService,
  ) {}

  async onModuleInit(): Promise<void> {
    const migrations = this.connection.collection<{ _id: string; at: Date }>(MIGRATIONS_COLLECTION);
    if (await migrations.findOne({ _id: KEYED_BY_ID })) return;
    const started = Date.now();
    const names = await this.fillUsernames();
    const sessions = await this.rekeySessions();
    await this.dropIfExists('login_attempts');
    try {
      await migrations.insertOne({ _id: KEYED_BY_ID, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // another instance finished first
    }
    this.logger.log({ msg: 'store migrated to keys by _id', usernames: names, sessions, ms: Date.now() - started });
  }

  private async fillUsernames(): Promise<number> {
    let filled = 0;
    let batch: Username[] = [];
    const flush = async () => {
      filled += await insertIgnoringDuplicates(this.usernames.collection as never, batch);
      batch = [];
    };
    for await (const user of this.users.collection.find<User>({})) {
      batch.push({
        _id: user.usernameLower,
        userId: user._id,
        username: user.username,
        passwordHash: user.passwordHash,
        createdAt: user.createdAt ?? new Date(),
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return filled;
  }

  private async rekeySessions(): Promise<number> {
    const collection = this.sessions.collection;
    for (const name of ['tokenHash_1', 'userId_1']) {
      try {
        await collection.dropIndex(name);
      } catch {
        // not there: a fresh store, or dropped by an earlier run
      }
    }
    const expiry = await this.expiries.forModel(this.sessions, 'expiresAt');
    const now = Date.now();
    let moved = 0;
    for await (const old of collection.find<LegacySession>({ tokenHash: { $exists: true } })) {
      if (new Date(old.expiresAt).getTime() > now) {
        const { tokenHash, _id: _oldId, ...rest } = old;
        moved += await insertIgnoringDuplicates(collection as never, [{ ...rest, _id: tokenHash }]);
        await expiry?.schedule(tokenHash, new Date(old.expiresAt));
      }
      await collection.deleteOne({ _id: old._id as never });
    }
    return moved;
  }

  private async dropIfExists(name: string): Promise<void> {
    const found = await this.connection.db!.listCollections({ name }).toArray();
    if (found.length > 0) await this.connection.db!.dropCollection(name);
  }
}

async function insertIgnoringDuplicates<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  docs: T[],
): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const res = await collection.insertMany(docs as never, { ordered: false });
    return res.insertedCount;
  } catch (err) {
    const errors = err instanceof mongo.MongoBulkWriteError ? [err.writeErrors].flat() : [];
    if (errors.length === 0 || !errors.every(isDuplicateKey)) throw err;
    return (err as mongo.MongoBulkWriteError).insertedCount;
  }
}
