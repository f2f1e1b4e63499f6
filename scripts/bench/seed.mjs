// Writes chat data straight into the store, in bulk, in the layout the services use (see
// apps/*/src/database/store-migration.ts for what each collection holds): far faster than the API,
// and the only way to reach a million messages in minutes. Ids are computed by the services' own
// code (from dist/), so what is seeded is what the services would have written.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { provision } from './stack-runner.mjs';

const require = createRequire(import.meta.url);
const dist = join(provision.ROOT, 'dist');
const { membershipIdOf } = require(join(dist, 'apps/message/src/membership/membership-id.js'));
const { memberEntry } = require(join(dist, 'apps/message/src/membership/member-list.schema.js'));
const { messageIdOf, sendKeyOf } = require(join(dist, 'apps/message/src/message/message-id.js'));
const { hashSessionToken, newSessionToken } = require(join(dist, 'apps/auth/src/session/session-token.js'));
const { expiryBucketId } = require(join(dist, 'libs/mongo/src/expiry-buckets.js'));
const { hash } = require('@node-rs/argon2');

const BATCH = 1000;
const DAY = 86_400_000;

/** Buffers documents per collection and writes them in unordered batches. */
class BulkWriter {
  constructor(db) {
    this.db = db;
    this.pending = new Map();
    this.written = new Map();
  }

  async add(collection, doc) {
    let list = this.pending.get(collection);
    if (!list) this.pending.set(collection, (list = []));
    list.push(doc);
    if (list.length >= BATCH) await this.flushOne(collection);
  }

  async flushOne(collection) {
    const docs = this.pending.get(collection) ?? [];
    if (docs.length === 0) return;
    this.pending.set(collection, []);
    await this.db.collection(collection).insertMany(docs, { ordered: false });
    this.written.set(collection, (this.written.get(collection) ?? 0) + docs.length);
  }

  async flush() {
    for (const collection of this.pending.keys()) await this.flushOne(collection);
  }
}

export class Seeder {
  /** `ttl`: whether the store expires by TTL index (mongod); else sessions go into expiry buckets. */
  constructor(db, { ttl, password }) {
    this.db = db;
    this.ttl = ttl;
    this.password = password;
    this.out = new BulkWriter(db);
    this.buckets = new Map();
    this.roomLists = new Map();
    this.memberLists = new Map();
  }

  async init() {
    this.passwordHash = await hash(this.password);
  }

  /** The migrations the services would run are done: the store is written in their layout. */
  async markMigrated() {
    const migrations = this.db.collection('migrations');
    for (const _id of ['auth-keyed-by-id-v1', 'message-keyed-by-id-v1']) {
      await migrations.updateOne({ _id }, { $setOnInsert: { at: new Date() } }, { upsert: true });
    }
  }

  async user(username) {
    const id = randomUUID();
    const lower = username.toLowerCase();
    const createdAt = new Date();
    await this.out.add('users', {
      _id: id,
      username,
      usernameLower: lower,
      passwordHash: this.passwordHash,
      createdAt,
    });
    await this.out.add('usernames', { _id: lower, userId: id, username, passwordHash: this.passwordHash, createdAt });
    return { id, username };
  }

  /** A live session of `user`; returns its token. `age`: how long ago it was opened. */
  async session(user, age = 0) {
    const token = newSessionToken();
    const _id = hashSessionToken(token);
    const createdAt = new Date(Date.now() - age);
    const expiresAt = new Date(createdAt.getTime() + 7 * DAY);
    await this.out.add('sessions', { _id, userId: user.id, username: user.username, expiresAt, createdAt });
    if (!this.ttl) {
      const bucket = expiryBucketId('sessions', _id, expiresAt);
      let ids = this.buckets.get(bucket);
      if (!ids) this.buckets.set(bucket, (ids = []));
      ids.push(_id);
    }
    return token;
  }

  /** A private room with `members` (the first is its owner) and `messages` messages by them. */
  async room(name, members, messages) {
    const id = randomUUID();
    const createdAt = new Date(Date.now() - DAY);
    await this.out.add('rooms', {
      _id: id,
      key: id,
      name,
      kind: 'private',
      memberCount: members.length,
      statsVersion: 1,
      lastSeq: messages,
      createdBy: members[0].id,
      createdAt,
    });
    const list = [];
    for (const [i, user] of members.entries()) {
      const role = i === 0 ? 'owner' : 'member';
      const joinedAt = new Date(createdAt.getTime() + i);
      await this.out.add('memberships', {
        _id: membershipIdOf(id, user.id),
        roomId: id,
        userId: user.id,
        username: user.username,
        role,
        joinedAt,
        lastReadSeq: 0,
      });
      list.push(memberEntry({ userId: user.id, username: user.username, role, joinedAt }));
      let rooms = this.roomLists.get(user.id);
      if (!rooms) this.roomLists.set(user.id, (rooms = {}));
      rooms[id] = Math.max(0, messages - 5); // the read pointer: a few unread
    }
    this.memberLists.set(id, list);
    for (let seq = 1; seq <= messages; seq++) {
      const author = members[seq % members.length];
      const clientMsgId = `seed-${seq}-${id.slice(0, 8)}`;
      const _id = messageIdOf(id, seq);
      await this.out.add('messages', {
        _id,
        roomId: id,
        seq,
        author: { id: author.id, username: author.username },
        body: `message ${seq} of ${name}: the quick brown fox jumps over the lazy dog`,
        clientMsgId,
        createdAt: new Date(createdAt.getTime() + seq * 1000),
      });
      await this.out.add('send_keys', { _id: sendKeyOf(author.id, clientMsgId), messageId: _id });
    }
    return { id, name };
  }

  /** Writes what is buffered, the lists and buckets included; returns documents written per collection. */
  async finish() {
    for (const [_id, rooms] of this.roomLists) await this.out.add('room_lists', { _id, rooms });
    for (const [_id, members] of this.memberLists) await this.out.add('member_lists', { _id, members });
    await this.out.flush();
    // Buckets may already hold ids (an earlier seed): merged, not inserted.
    const ops = [...this.buckets].map(([_id, ids]) => ({
      updateOne: { filter: { _id }, update: { $addToSet: { ids: { $each: ids } } }, upsert: true },
    }));
    for (let i = 0; i < ops.length; i += BATCH) {
      await this.db.collection('expiry_buckets').bulkWrite(ops.slice(i, i + BATCH), { ordered: false });
    }
    this.roomLists.clear();
    this.memberLists.clear();
    this.buckets.clear();
    return Object.fromEntries(this.out.written);
  }
}

/** Whether the store expires documents by TTL index (mongod does; FerretDB v1 does not). */
export async function storeHasTtl(db) {
  const probe = db.collection(`ttl_probe_${Date.now()}`);
  try {
    await probe.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    return true;
  } catch {
    return false;
  } finally {
    await probe.drop().catch(() => undefined);
  }
}
