import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { Membership } from './membership.schema';

@Injectable()
export class MembershipRepository {
  constructor(@InjectModel(Membership.name) private readonly model: Model<Membership>) {}

  find(roomId: string, userId: string): Promise<Membership | null> {
    return this.model.findOne({ roomId, userId }).lean<Membership>().exec();
  }

  listByUser(userId: string): Promise<Membership[]> {
    return this.model.find({ userId }).lean<Membership[]>().exec();
  }

  listByRoom(roomId: string): Promise<Membership[]> {
    return this.model.find({ roomId }).sort({ joinedAt: 1 }).lean<Membership[]>().exec();
  }

  /** False when the user already is a member (the unique (roomId, userId) index says so). */
  async insert(membership: Membership): Promise<boolean> {
    try {
      await this.model.create(membership);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** The removed membership, or null when there was none. */
  remove(roomId: string, userId: string): Promise<Membership | null> {
    return this.model.findOneAndDelete({ roomId, userId }).lean<Membership>().exec();
  }
}
