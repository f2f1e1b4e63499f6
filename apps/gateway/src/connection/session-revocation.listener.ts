import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventSubject } from '@app/contracts';
import { EventBus } from '@app/nats';
import { ConnectionService } from './connection.service';

/**
 * Every gateway hears every revocation (a plain subscription, never a queue group), from boot:
 * the cached session goes and its sockets are told, then disconnected.
 */
@Injectable()
export class SessionRevocationListener implements OnModuleInit {
  constructor(
    private readonly events: EventBus,
    private readonly connections: ConnectionService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.events.subscribe(EventSubject.SessionRevoked, (event) => this.connections.revokeSession(event.sessionId));
    await this.events.flush();
  }
}
