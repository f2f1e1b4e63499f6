import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { fieldKey } from '../common/field-key';
import { MemberList, MemberListEntry } from './member-list.schema';

/** Rooms' member lists; every call is one `_id` lookup or one atomic update of one entry. */
@Injectable()
export class MemberListRepository {
  constructor(@InjectModel(MemberList.name) private readonly model: Model<MemberList>) {}

  /** userId → entry, in joining order. */
  async members(roomId: string): Promise<[string, MemberListEntry][]> {
    const doc = await this.model.findById(roomId).lean<MemberList>().exec();
    const entries = Object.entries(doc?.members ?? {});
    return entries.sort(([, a], [, b]) => new Date(a.joinedAt).getTime() - new Date(b.joinedAt).getTime());
  }

  async add(roomId: string, userId: string, entry: MemberListEntry): Promise<void> {
    await this.model
      .updateOne({ _id: roomId }, { $set: { [`members.${fieldKey(userId)}`]: entry } }, { upsert: true })
      .exec();
  }

  async remove(roomId: string, userId: string): Promise<void> {
    await this.model.updateOne({ _id: roomId }, { $unset: { [`members.${fieldKey(userId)}`]: '' } }).exec();
  }
}
