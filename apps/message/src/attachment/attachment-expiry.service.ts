import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import { ExpiryBucket, ExpiryBuckets } from '@app/mongo';
import { MessageConfig } from '../message.config';
import { AttachmentRepository } from './attachment.repository';
import { Attachment } from './attachment.schema';

/** The collection of expiry buckets (shared with auth's: bucket ids carry the collection's name). */
const EXPIRY_COLLECTION = 'expiry_buckets';

/**
 * Uploads that no message carries are deleted, bytes included, ATTACHMENT_UNUSED_TTL_SECONDS after
 * they began. Expiry buckets (libs/mongo), not a TTL index: FerretDB has none, and a sweep by
 * `expiresAt` would scan. A message that carries an upload takes its expiry off first.
 */
@Injectable()
export class AttachmentExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AttachmentExpiry.name);
  private readonly buckets: ExpiryBuckets;
  private readonly ttlMs: number;
  private readonly periodMs: number;
  private stop?: () => void;

  constructor(
    @InjectConnection() connection: Connection,
    @InjectModel(Attachment.name) model: Model<Attachment>,
    attachments: AttachmentRepository,
    config: MessageConfig,
  ) {
    this.ttlMs = config.ATTACHMENT_UNUSED_TTL_SECONDS * 1000;
    // Buckets of a quarter of the TTL (at most a minute): an upload goes within 1¼ TTL.
    this.periodMs = Math.min(60_000, Math.max(250, Math.floor(this.ttlMs / 4)));
    this.buckets = new ExpiryBuckets(
      connection.collection<ExpiryBucket>(EXPIRY_COLLECTION),
      {
        name: model.collection.collectionName,
        collection: model.collection,
        field: 'expiresAt',
        onDeleted: (doc) => attachments.deleteChunks(String(doc._id), Number(doc.chunks)),
      },
      { bucketMs: this.periodMs },
    );
  }

  onApplicationBootstrap(): void {
    this.stop = this.buckets.start(this.logger, this.periodMs);
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** The expiry of an upload begun now. */
  expiryOfNew(now = new Date()): Date {
    return new Date(now.getTime() + this.ttlMs);
  }

  schedule(id: string, expiresAt: Date): Promise<void> {
    return this.buckets.schedule(id, expiresAt);
  }
}
