import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { Room } from './room.schema';

@Injectable()
export class RoomRepository {
  constructor(@InjectModel(Room.name) private readonly model: Model<Room>) {}

  findById(id: string): Promise<Room | null> {
    return this.model.findById(id).lean<Room>().exec();
  }

  findByKey(key: string): Promise<Room | null> {
    return this.model.findOne({ key }).lean<Room>().exec();
  }

  /** The rooms with these ids, and every public room when asked (one pass: FerretDB scans either way). */
  findListed(ids: string[], withPublic: boolean): Promise<Room[]> {
    if (ids.length === 0 && !withPublic) return Promise.resolve([]);
    const byId: QueryFilter<Room> = { _id: { $in: ids } };
    const filter: QueryFilter<Room> = withPublic ? { $or: [{ kind: 'public' }, byId] } : byId;
    return this.model.find(filter).sort({ createdAt: 1 }).lean<Room[]>().exec();
  }

  /** Throws a duplicate-key error (11000) when a room with the same key exists. */
  async insert(room: Room): Promise<void> {
    await this.model.create(room);
  }

  /** Advisory, like lastSeq: views count the memberships themselves. */
  async setMemberCount(id: string, memberCount: number): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { memberCount } }).exec();
  }

  /**
   * Advisory: FerretDB applies an update as read-modify-write, so concurrent raises can lose one
   * and leave it behind (never ahead) of the messages. Readers probe upward from it.
   */
  async raiseLastSeq(id: string, seq: number): Promise<void> {
    await this.model.updateOne({ _id: id }, { $max: { lastSeq: seq } }).exec();
  }
}
