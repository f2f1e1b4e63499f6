import 'reflect-metadata';
import { ChatSubject, ReplyOf, RequestOf, RequestSubject, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import mongoose from 'mongoose';
import { JSONCodec, NatsConnection, Subscription, connect } from 'nats';
import { randomUUID } from 'node:crypto';
import { AppProcess, spawnApp } from '../../../test/harness/app-process';
import { PrivateNats, freshMongoUrl, startPrivateNats } from '../../../test/harness/infra';
import { waitForResponder } from '../../../test/harness/nats-wait';

const codec = JSONCodec<unknown>();

/** A fabricated user: the message service trusts the actor the gateway vouches for. */
export function aUser(name = 'user'): UserView {
  return { id: randomUUID(), username: `${name}_${Math.random().toString(36).slice(2, 8)}` };
}

/** Collects every event published on a subject, for assertions after the fact. */
export class EventRecorder<T = unknown> {
  readonly events: T[] = [];
  private readonly sub: Subscription;

  constructor(nc: NatsConnection, subject: string) {
    this.sub = nc.subscribe(subject, { callback: (_err, msg) => this.events.push(codec.decode(msg.data) as T) });
  }

  /** Resolves once `predicate` holds for some event (or rejects after `timeoutMs`). */
  async waitFor(predicate: (event: T) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`event not seen; got ${JSON.stringify(this.events).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.sub.unsubscribe();
  }
}

/**
 * One database, `instances` built message-service processes on it, and a client connection
 * that talks to them as the gateway does.
 */
export class MessageServiceFixture {
  readonly mongoUrl = freshMongoUrl('msg');
  readonly apps: AppProcess[] = [];
  natsUrl!: string;
  nats!: PrivateNats;
  nc!: NatsConnection;
  rpc!: RpcClient;
  db!: mongoose.Connection;

  async start(instances = 1): Promise<void> {
    this.nats = await startPrivateNats();
    this.natsUrl = this.nats.url;
    this.nc = await connect({ servers: this.natsUrl });
    this.rpc = new RpcClient(this.nc, 20000);
    for (let i = 0; i < instances; i++) this.spawn(i);
    try {
      await waitForResponder(this.natsUrl, ChatSubject.Health);
      await this.waitForInstances(instances);
    } catch (err) {
      process.stderr.write(this.apps.map((a) => a.output()).join('\n---\n'));
      throw err;
    }
    this.db = await mongoose.createConnection(this.mongoUrl).asPromise();
  }

  spawn(i: number): AppProcess {
    const app = spawnApp('message', {
      NATS_URL: this.natsUrl,
      MONGO_URL: this.mongoUrl,
      INSTANCE_NAME: `message-test-${i}-${process.pid}`,
    });
    this.apps.push(app);
    return app;
  }

  /** Health replies name their instance: wait until every process serves the queue group. */
  async waitForInstances(n: number, timeoutMs = 20000): Promise<void> {
    const seen = new Set<string>();
    const deadline = Date.now() + timeoutMs;
    while (seen.size < n) {
      if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${n} instances answered health checks`);
      try {
        seen.add((await this.rpc.request(ChatSubject.Health, {}, { timeoutMs: 1000 })).instance);
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  request<S extends RequestSubject>(subject: S, payload: RequestOf<S>): Promise<ReplyOf<S>> {
    return this.rpc.request(subject, payload);
  }

  /** Sends any payload at all (invalid ones included) and returns the error code, or 'OK'. */
  async codeOf(subject: RequestSubject, payload: unknown): Promise<string> {
    try {
      await this.rpc.request(subject, payload as never);
      return 'OK';
    } catch (err) {
      if (err instanceof DomainError) return err.code;
      throw err;
    }
  }

  record<T>(subject: string): EventRecorder<T> {
    return new EventRecorder<T>(this.nc, subject);
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((a) => a.stop(5000)));
    await this.db?.close();
    await this.nc?.close();
    await this.nats?.stop();
  }
}
