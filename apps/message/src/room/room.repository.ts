import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdLookups } from '@app/mongo';
import { Room } from './room.schema';

@Injectable()
export class RoomRepository {
  /** `_id` lookups combined (IdLookups): a burst of requests for rooms not yet cached costs one query. */
  private readonly lookups: IdLookups<Room>;

  constructor(@InjectModel(Room.name) private readonly model: Model<Room>) {
    this.lookups = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } })
        .lean<Room[]>()
        .exec(),
    );
  }

  findById(id: string): Promise<Room | null> {
    return this.lookups.find(id);
  }

  findByKey(key: string): Promise<Room | null> {
    return this.model.findOne({ key }).lean<Room>().exec();
  }

  /** Throws a duplicate-key error (11000) when a room with the same key exists. */
  /** A page of every room by id (a scan with a sort on FerretDB: for a rebuild of the search index only). */
  page(offset: number, limit: number): Promise<Room[]> {
    return this.model.find({}).sort({ _id: 1 }).skip(offset).limit(limit).lean<Room[]>().exec();
  }

  async insert(room: Room): Promise<void> {
    await this.model.create(room);
  }

  /** Adds `delta` to the member count (atomically); the new count and its version. */
  async changeMemberCount(id: string, delta: number): Promise<{ memberCount: number; version: number } | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id },
        { $inc: { memberCount: delta, statsVersion: 1 } },
        { returnDocument: 'after' }, // FerretDB v1 takes no projection here
      )
      .lean<Pick<Room, 'memberCount' | 'statsVersion'>>()
      .exec();
    return doc && { memberCount: doc.memberCount, version: doc.statsVersion ?? 0 };
  }

  /** Sets the member count counted elsewhere (a repair); the new version. */
  async setMemberCount(id: string, memberCount: number): Promise<number> {
    const doc = await this.model
      .findOneAndUpdate({ _id: id }, { $set: { memberCount }, $inc: { statsVersion: 1 } }, { returnDocument: 'after' })
      .lean<Pick<Room, 'statsVersion'>>()
      .exec();
    return doc?.statsVersion ?? 0;
  }

  /** A hint, raised after the messages are stored (never ahead of them); readers probe upward from it. */
  async raiseLastSeq(id: string, seq: number): Promise<void> {
    await this.model.updateOne({ _id: id }, { $max: { lastSeq: seq } }).exec();
  }
}
