import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ensureIndexes } from '@app/mongo';
import { Model } from 'mongoose';
import { Membership } from '../membership/membership.schema';
import { Message } from '../message/message.schema';
import { Room } from '../room/room.schema';

/**
 * Creates the indexes the schemas declare before the service answers anything, and checks that
 * the unique ones really are: they keep rooms single and sends idempotent, so a failure here
 * stops the process.
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
    await ensureIndexes(this.rooms, this.logger);
    await ensureIndexes(this.memberships, this.logger);
    await ensureIndexes(this.messages, this.logger);
    this.logger.log({ msg: 'indexes ready' });
  }
}
