import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { membershipIdOf } from './membership-id';
import { Membership } from './membership.schema';

@Injectable()
export class MembershipRepository {
  constructor(@InjectModel(Membership.name) private readonly model: Model<Membership>) {}

  find(roomId: string, userId: string): Promise<Membership | null> {
    return this.model.findById(membershipIdOf(roomId, userId)).lean<Membership>().exec();
  }

  listByUser(userId: string): Promise<Membership[]> {
    return this.model.find({ userId }).lean<Membership[]>().exec();
  }

  listByRoom(roomId: string): Promise<Membership[]> {
    return this.model.find({ roomId }).sort({ joinedAt: 1 }).lean<Membership[]>().exec();
  }

  /** Members per room, for the given rooms (one pass over the memberships). */
  async countByRooms(roomIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(roomIds.map((id) => [id, 0]));
    if (roomIds.length === 0) return counts;
    const rows =
      roomIds.length === 1
        ? await this.model.find({ roomId: roomIds[0] }, { roomId: 1 }).lean<Pick<Membership, 'roomId'>[]>().exec()
        : await this.model
            .find({ roomId: { $in: roomIds } }, { roomId: 1 })
            .lean<Pick<Membership, 'roomId'>[]>()
            .exec();
    for (const row of rows) counts.set(row.roomId, (counts.get(row.roomId) ?? 0) + 1);
    return counts;
  }

  /** False when the user already is a member (the unique (roomId, userId) index says so). */
  async insert(membership: Membership): Promise<boolean> {
    try {
      await this.model.create(membership);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Raises the read pointer to `seq` unless it already is at or past it; false when it was. */
  async advanceRead(id: string, seq: number): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: id, lastReadSeq: { $lt: seq } }, { $set: { lastReadSeq: seq } })
      .exec();
    return res.modifiedCount > 0;
  }

  /** The removed membership, or null when there was none. */
  remove(roomId: string, userId: string): Promise<Membership | null> {
    return this.model
      .findOneAndDelete({ _id: membershipIdOf(roomId, userId) })
      .lean<Membership>()
      .exec();
  }
}
