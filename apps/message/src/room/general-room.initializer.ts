import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '@app/mongo';
import { RoomRepository } from './room.repository';
import { GENERAL_ROOM_KEY } from './room.schema';

/** A fresh stack has a public room `general`; its unique key keeps it single when instances boot together. */
@Injectable()
export class GeneralRoomInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger(GeneralRoomInitializer.name);

  constructor(private readonly rooms: RoomRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.rooms.findByKey(GENERAL_ROOM_KEY)) return;
    try {
      await this.rooms.insert({
        _id: randomUUID(),
        key: GENERAL_ROOM_KEY,
        name: 'general',
        kind: 'public',
        memberCount: 0,
        lastSeq: 0,
        createdBy: 'system',
        createdAt: new Date(),
      });
      this.logger.log({ msg: 'created the general room' });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
