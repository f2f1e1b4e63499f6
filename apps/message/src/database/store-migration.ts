import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Connection, Model, mongo } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { MemberList, memberEntry } from '../membership/member-list.schema';
import { Membership } from '../membership/membership.schema';
import { RoomList } from '../membership/room-list.schema';
import { sendKeyOf } from '../message/message-id';
import { Message } from '../message/message.schema';
import { PublicRoomEntry } from '../room/public-directory.schema';
import { Room } from '../room/room.schema';

export const MIGRATIONS_COLLECTION = 'migrations';
const KEYED_BY_ID = 'message-keyed-by-id-v1';
const BATCH = 500;

/** Indexes no lookup uses any more (each `_id` already says the same), dropped to speed up inserts. */
const UNUSED_INDEXES: [collection: string, index: string][] = [
  ['memberships', 'roomId_1_userId_1'],
  ['memberships', 'userId_1'],
  ['messages', 'roomId_1_seq_1'],
  ['rooms', 'kind_1'],
];

/**
 * Brings a store written by an older version to the layout where every lookup is by `_id`, once,
 * before the service answers: each user's room list and each room's member list are built from
 * the memberships (read pointers included), member counts are counted, the public rooms are put
 * in the directory in creation order, and indexes nothing uses are dropped. Every step merges
 * with what is there (entries are `$set`, the directory skips rooms it has), so instances that boot
 * together, or one that died half-way, are fine. It reads memberships and rooms once, whole;
 * afterwards a marker document makes it one lookup.
 */
@Injectable()
export class StoreMigration implements OnModuleInit {
  private readonly logger = new Logger(StoreMigration.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    @InjectModel(RoomList.name) private readonly roomLists: Model<RoomList>,
    @InjectModel(MemberList.name) private readonly memberLists: Model<MemberList>,
    @InjectModel(Room.name) private readonly rooms: Model<Room>,
    @InjectModel(PublicRoomEntry.name) private readonly directory: Model<PublicRoomEntry>,
    @InjectModel(Message.name) private readonly messages: Model<Message>,
  ) {}

  async onModuleInit(): Promise<void> {
    const migrations = this.connection.collection<{ _id: string; at: Date }>(MIGRATIONS_COLLECTION);
    if (await migrations.findOne({ _id: KEYED_BY_ID })) return;
    const started = Date.now();
    const counts = await this.buildLists();
    const rooms = await this.countAndList(counts);
    const keys = await this.keyEveryMessage();
    for (const [collection, index] of UNUSED_INDEXES) {
      await this.connection
        .collection(collection)
        .dropIndex(index)
        .catch(() => undefined); // not there: a fresh store, or dropped before
    }
    try {
      await migrations.insertOne({ _id: KEYED_BY_ID, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    this.logger.log({
      msg: 'store migrated to keys by _id',
      rooms,
      memberships: sum(counts),
      sendKeysAdded: keys,
      ms: Date.now() - started,
    });
  }

  /** Room and member lists from the memberships; the member count of each room. */
  private async buildLists(): Promise<Map<string, number>> {
    const byUser = new Map<string, Record<string, number>>();
    const byRoom = new Map<string, string[]>();
    for await (const m of this.memberships.collection.find<Membership>({})) {
      let rooms = byUser.get(m.userId);
      if (!rooms) byUser.set(m.userId, (rooms = {}));
      rooms[m.roomId] = m.lastReadSeq ?? 0;
      let members = byRoom.get(m.roomId);
      if (!members) byRoom.set(m.roomId, (members = []));
      members.push(memberEntry(m));
    }
    const roomOps = [...byUser].map(([id, rooms]) => ({
      updateOne: {
        filter: { _id: id },
        update: { $set: Object.fromEntries(Object.entries(rooms).map(([roomId, seq]) => [`rooms.${roomId}`, seq])) },
        upsert: true,
      },
    }));
    const memberOps = [...byRoom].map(([id, members]) => ({
      updateOne: { filter: { _id: id }, update: { $addToSet: { members: { $each: members } } }, upsert: true },
    }));
    await bulk(this.roomLists.collection as never, roomOps);
    await bulk(this.memberLists.collection as never, memberOps);
    return new Map([...byRoom].map(([roomId, members]) => [roomId, members.length]));
  }

  /**
   * Older versions wrote a send's key after its message, so a writer killed in between left a
   * message without one; the writer now relies on every stored send having its key. Returns how many
   * were missing.
   */
  private async keyEveryMessage(): Promise<number> {
    const keys = this.connection.collection<{ _id: string }>('send_keys');
    let added = 0;
    let batch: { _id: string; messageId: string }[] = [];
    for await (const m of this.messages.collection.find<Message>({}, { projection: { author: 1, clientMsgId: 1 } })) {
      batch.push({ _id: sendKeyOf(m.author.id, m.clientMsgId), messageId: m._id });
      if (batch.length >= BATCH) {
        added += await insertNew(keys, batch);
        batch = [];
      }
    }
    return added + (await insertNew(keys, batch));
  }

  /** Sets each room's member count and puts its public rooms in the directory; returns how many rooms. */
  private async countAndList(counts: Map<string, number>): Promise<number> {
    const rooms = await this.rooms.collection
      .find<Room>({}, { projection: { _id: 1, kind: 1, createdAt: 1 } })
      .toArray();
    for (let i = 0; i < rooms.length; i += BATCH) {
      await this.rooms.collection.bulkWrite(
        rooms.slice(i, i + BATCH).map((room) => ({
          updateOne: {
            filter: { _id: room._id },
            update: { $set: { memberCount: counts.get(room._id) ?? 0 }, $inc: { statsVersion: 1 } },
          },
        })) as never,
        { ordered: false },
      );
    }
    const listed = new Set<string>();
    let n = 0;
    for (let entry = await this.directory.findById('1').lean<PublicRoomEntry>(); entry;) {
      listed.add(entry.roomId);
      n++;
      entry = await this.directory.findById(String(n + 1)).lean<PublicRoomEntry>();
    }
    const publicRooms = rooms
      .filter((r) => r.kind === 'public' && !listed.has(r._id))
      .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
    for (const room of publicRooms) {
      for (;;) {
        try {
          await this.directory.create({ _id: String(++n), roomId: room._id });
          break;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // another instance appended meanwhile: the next slot
        }
      }
    }
    return rooms.length;
  }
}

/** Unordered inserts of documents some of which may exist; how many were new. */
async function insertNew(collection: mongo.Collection<{ _id: string }>, docs: { _id: string }[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await collection.insertMany(docs, { ordered: false })).insertedCount;
  } catch (err) {
    const errors = err instanceof mongo.MongoBulkWriteError ? [err.writeErrors].flat() : [];
    if (errors.length === 0 || !errors.every(isDuplicateKey)) throw err;
    return (err as mongo.MongoBulkWriteError).insertedCount;
  }
}

/** Unordered bulk writes, in batches. */
async function bulk(
  collection: mongo.Collection<{ _id: string }>,
  ops: mongo.AnyBulkWriteOperation<{ _id: string }>[],
) {
  for (let i = 0; i < ops.length; i += BATCH) {
    await collection.bulkWrite(ops.slice(i, i + BATCH), { ordered: false });
  }
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
