import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdLookups } from '@app/mongo';
import { fieldKey } from '../common/field-key';
import { RoomList } from './room-list.schema';

/** Users' room lists; every call is one `_id` lookup (combined: IdLookups) or one atomic update of one entry. */
@Injectable()
export class RoomListRepository {
  private readonly lookups: IdLookups<RoomList>;

  constructor(@InjectModel(RoomList.name) private readonly model: Model<RoomList>) {
    this.lookups = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } })
        .lean<RoomList[]>()
        .exec(),
    );
  }

  /** roomId → read pointer; empty for a user in no room. */
  async entries(userId: string): Promise<Map<string, number>> {
    const doc = await this.lookups.find(userId);
    return new Map(Object.entries(doc?.rooms ?? {}));
  }

  /** The user's read pointer in the room, or null when the room is not in their list. */
  async readSeq(userId: string, roomId: string): Promise<number | null> {
    return (await this.entries(userId)).get(roomId) ?? null;
  }

  async add(userId: string, roomId: string, readSeq: number): Promise<void> {
    await this.model
      .updateOne({ _id: userId }, { $set: { [`rooms.${fieldKey(roomId)}`]: readSeq } }, { upsert: true })
      .exec();
  }

  async remove(userId: string, roomId: string): Promise<void> {
    await this.model.updateOne({ _id: userId }, { $unset: { [`rooms.${fieldKey(roomId)}`]: '' } }).exec();
  }

  /** Raises the read pointer to `seq` unless it already is at or past it; false when it was (or no entry). */
  async advanceRead(userId: string, roomId: string, seq: number): Promise<boolean> {
    const path = `rooms.${fieldKey(roomId)}`;
    const res = await this.model.updateOne({ _id: userId, [path]: { $lt: seq } }, { $set: { [path]: seq } }).exec();
    return res.modifiedCount > 0;
  }
}
