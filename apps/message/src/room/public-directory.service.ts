import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { PublicRoomEntry } from './public-directory.schema';

/** The ids of every public room, in creation order (see PublicRoomEntry). */
@Injectable()
export class PublicDirectoryService {
  /** Entry n is ids[n - 1]; an entry never changes, so what was read once stays true. */
  private readonly ids: string[] = [];
  private readonly known = new Set<string>();
  private reading: Promise<void> | null = null;

  constructor(@InjectModel(PublicRoomEntry.name) private readonly entries: Model<PublicRoomEntry>) {}

  async list(): Promise<string[]> {
    await this.catchUp();
    return [...this.ids];
  }

  /** Appends the room (once, however many instances try). */
  async add(roomId: string): Promise<void> {
    for (;;) {
      await this.catchUp();
      if (this.known.has(roomId)) return;
      try {
        await this.entries.create({ _id: String(this.ids.length + 1), roomId });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }

  /** Reads the entries appended since the last read; concurrent callers share one read. */
  private catchUp(): Promise<void> {
    this.reading ??= this.readNew().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const entry = await this.entries
        .findById(String(this.ids.length + 1))
        .lean<PublicRoomEntry>()
        .exec();
      if (!entry) return;
      this.ids.push(entry.roomId);
      this.known.add(entry.roomId);
    }
  }
}
