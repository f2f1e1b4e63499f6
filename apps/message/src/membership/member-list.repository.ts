import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MemberList, MemberListEntry, memberEntry, parseMemberEntry } from './member-list.schema';

/** Rooms' member lists; every call is one `_id` lookup or one atomic update of one entry. */
@Injectable()
export class MemberListRepository {
  constructor(@InjectModel(MemberList.name) private readonly model: Model<MemberList>) {}

  /** The members, in joining order. */
  async members(roomId: string): Promise<MemberListEntry[]> {
    const doc = await this.model.findById(roomId).lean<MemberList>().exec();
    const members = (doc?.members ?? []).map(parseMemberEntry);
    return members.sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
  }

  async add(roomId: string, member: MemberListEntry): Promise<void> {
    await this.model
      .updateOne({ _id: roomId }, { $addToSet: { members: memberEntry(member) } }, { upsert: true })
      .exec();
  }

  /** Takes out the member's entry: the one written for this membership (same fields, same string). */
  async remove(roomId: string, member: MemberListEntry): Promise<void> {
    await this.model.updateOne({ _id: roomId }, { $pull: { members: memberEntry(member) } }).exec();
  }
}
