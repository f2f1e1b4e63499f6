import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Attachment, AttachmentChunk, chunkIdOf } from './attachment.schema';

/** Every lookup is by `_id`. */
@Injectable()
export class AttachmentRepository {
  constructor(
    @InjectModel(Attachment.name) private readonly model: Model<Attachment>,
    @InjectModel(AttachmentChunk.name) private readonly chunks: Model<AttachmentChunk>,
  ) {}

  async insert(attachment: Attachment): Promise<void> {
    await this.model.create(attachment);
  }

  findById(id: string): Promise<Attachment | null> {
    return this.model.findById(id).lean<Attachment>().exec();
  }

  /** Upsert by `_id`: a retried chunk overwrites itself. */
  async putChunk(attachmentId: string, index: number, data: Buffer): Promise<void> {
    const _id = chunkIdOf(attachmentId, index);
    await this.chunks.replaceOne({ _id }, { _id, data }, { upsert: true }).exec();
  }

  async readChunk(attachmentId: string, index: number): Promise<Buffer | null> {
    const chunk = await this.chunks.findById(chunkIdOf(attachmentId, index)).lean<AttachmentChunk>().exec();
    if (!chunk) return null;
    // lean() hands back BSON Binary on some drivers/servers; normalise to a Buffer.
    const data = chunk.data as unknown;
    if (Buffer.isBuffer(data)) return data;
    return Buffer.from((data as { buffer: Uint8Array }).buffer);
  }

  async hasChunk(attachmentId: string, index: number): Promise<boolean> {
    return (await this.chunks.exists({ _id: chunkIdOf(attachmentId, index) })) !== null;
  }

  /** Takes the expiry off uploads a message now carries; false when one of them is gone. */
  async keep(ids: string[]): Promise<boolean> {
    const res = await this.model.updateMany({ _id: { $in: ids } }, { $unset: { expiresAt: '' } }).exec();
    return res.matchedCount === ids.length;
  }

  /** Deletes the bytes of a deleted upload (chunk ids are computed: no scan). */
  async deleteChunks(attachmentId: string, chunks: number): Promise<void> {
    const ids = Array.from({ length: chunks }, (_, i) => chunkIdOf(attachmentId, i));
    for (let i = 0; i < ids.length; i += 100)
      await this.chunks.deleteMany({ _id: { $in: ids.slice(i, i + 100) } }).exec();
  }

  async markComplete(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { complete: true } }).exec();
  }
}
