import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ExpiryBuckets, IdLookups } from '@app/mongo';
import { ExpiryService } from '../database/expiry.service';
import { Session } from './session.schema';

export type NewSession = Omit<Session, 'createdAt'>;

/**
 * Sessions by token hash (`_id`). Expiry: the TTL index, or expiry buckets where there is none.
 * Lookups are combined (IdLookups): a burst of handshakes (a gateway's clients coming back on
 * another) costs the store one `_id $in` query per round trip, not one per socket.
 */
@Injectable()
export class SessionRepository implements OnModuleInit, OnModuleDestroy {
  private expiry: ExpiryBuckets | null = null;
  private stopSweep?: () => void;
  private readonly lookups: IdLookups<Session>;

  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    private readonly expiries: ExpiryService,
  ) {
    this.lookups = new IdLookups((ids) =>
      this.sessions
        .find({ _id: { $in: ids } })
        .lean<Session[]>()
        .exec(),
    );
  }

  async onModuleInit(): Promise<void> {
    this.expiry = await this.expiries.forModel(this.sessions, 'expiresAt');
    this.stopSweep = this.expiry?.start(new Logger(SessionRepository.name));
  }

  onModuleDestroy(): void {
    this.stopSweep?.();
  }

  async insert(session: NewSession): Promise<void> {
    await this.sessions.create(session);
    await this.expiry?.schedule(session._id, session.expiresAt);
  }

  findByTokenHash(tokenHash: string): Promise<Session | null> {
    return this.lookups.find(tokenHash);
  }

  /** Deletes the session and returns what it was; null when there was none. */
  deleteById(sessionId: string): Promise<Session | null> {
    return this.sessions.findOneAndDelete({ _id: sessionId }).lean<Session>().exec();
  }
}
