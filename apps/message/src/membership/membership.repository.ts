import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdLookups, isDuplicateKey } from '@app/mongo';
import { membershipIdOf } from './membership-id';
import { Membership } from './membership.schema';

/** Memberships by `_id` (`<room>:<user>`): who may read a room. Lists of them are elsewhere (room/member lists). */
@Injectable()
export class MembershipRepository {
  /** `_id` lookups combined (IdLookups): a burst of joins costs the store one query, not one each. */
  private readonly lookups: IdLookups<Membership>;

  constructor(@InjectModel(Membership.name) private readonly model: Model<Membership>) {
    this.lookups = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } })
        .lean<Membership[]>()
        .exec(),
    );
  }

  find(roomId: string, userId: string): Promise<Membership | null> {
    return this.lookups.find(membershipIdOf(roomId, userId));
  }

  /** False when the user already is a member (the `_id` says so). */
  async insert(membership: Membership): Promise<boolean> {
    try {
      await this.model.create(membership);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** The removed membership, or null when there was none. */
  remove(roomId: string, userId: string): Promise<Membership | null> {
    return this.model
      .findOneAndDelete({ _id: membershipIdOf(roomId, userId) })
      .lean<Membership>()
      .exec();
  }
}
