import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '@app/mongo';
import { PublicDirectoryService } from './public-directory.service';
import { RoomRepository } from './room.repository';
import { GENERAL_ROOM_KEY } from './room.schema';

/** A fresh stack has a public room `general`; its unique key keeps it single when instances boot together. */
@Injectable()
export class GeneralRoomInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger(GeneralRoomInitializer.name);

  constructor(
    private readonly rooms: RoomRepository,
    private readonly directory: PublicDirectoryService,
  ) {}

  /** A key lookup at boot only (a scan on FerretDB, once): the room's id is random in older stores. */
  async onApplicationBootstrap(): Promise<void> {
    const existing = await this.rooms.findByKey(GENERAL_ROOM_KEY);
    if (existing) return this.directory.add(existing._id); // completes a creation cut short
    const id = randomUUID();
    try {
      await this.rooms.insert({
        _id: id,
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
      return; // another instance created it, and lists it
    }
    await this.directory.add(id);
  }
}
