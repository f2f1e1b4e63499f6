import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdLookups } from '@app/mongo';
import { fieldKey } from '../common/field-key';
import { MentionList } from './mention-list.schema';

/** Users' mention lists; every call is one `_id` lookup (combined: IdLookups) or one atomic update of one entry. */
@Injectable()
export class MentionListRepository {
  private readonly lookups: IdLookups<MentionList>;

  constructor(@InjectModel(MentionList.name) private readonly model: Model<MentionList>) {
    this.lookups = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } })
        .lean<MentionList[]>()
        .exec(),
    );
  }

  /** roomId → seqs of the messages there that mention the user. */
  async of(userId: string): Promise<Map<string, number[]>> {
    const doc = await this.lookups.find(userId);
    return new Map(Object.entries(doc?.rooms ?? {}));
  }

  async add(userId: string, roomId: string, seq: number): Promise<void> {
    await this.model
      .updateOne({ _id: userId }, { $push: { [`rooms.${fieldKey(roomId)}`]: seq } }, { upsert: true })
      .exec();
  }

  /**
   * Drops the seqs at or before `readSeq`, only if the entry still is `seen` (a compare-and-set: a
   * mention pushed meanwhile is never lost; a lost race leaves the pruning to the next read).
   * FerretDB ignores `$pull` with a condition and `$push`'s `$slice`, hence the two steps.
   */
  async prune(userId: string, roomId: string, seen: number[], readSeq: number): Promise<void> {
    const path = `rooms.${fieldKey(roomId)}`;
    const kept = seen.filter((s) => s > readSeq);
    if (kept.length === seen.length) return;
    await this.model.updateOne({ _id: userId, [path]: seen }, { $set: { [path]: kept } }).exec();
  }
}
