import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Membership } from '../membership/membership.schema';
import { Message } from '../message/message.schema';
import { Room } from '../room/room.schema';

interface IndexedModel {
  createIndexes(): Promise<void>;
  collection: { name: string };
}

/**
 * Creates the indexes the schemas declare before the service answers anything: the unique ones
 * are what keeps seqs gapless and rooms single, so a failure here stops the process.
 */
@Injectable()
export class IndexInitializer implements OnModuleInit {
  private readonly logger = new Logger(IndexInitializer.name);

  constructor(
    @InjectModel(Room.name) private readonly rooms: Model<Room>,
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    @InjectModel(Message.name) private readonly messages: Model<Message>,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const model of [this.rooms, this.memberships, this.messages]) {
      await this.createIndexes(model);
    }
    this.logger.log({ msg: 'indexes ready' });
  }

  /** One retry: another instance booting on the same database may be creating the same collection. */
  private async createIndexes(model: IndexedModel): Promise<void> {
    try {
      await model.createIndexes();
    } catch (err) {
      this.logger.warn({ msg: 'index creation failed, retrying once', collection: model.collection.name, err });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await model.createIndexes();
    }
  }
}
