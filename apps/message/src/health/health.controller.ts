import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatSubject, HealthReply, HealthRequest } from '@app/contracts';
import { DatabaseHealthService } from '@app/mongo';
import { Handles } from '@app/nats';
import { MessageConfig, instanceNameOf } from '../message.config';

/** Ready means: this instance answers NATS and its database answers it. */
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseHealthService,
    private readonly config: MessageConfig,
  ) {}

  @Handles(ChatSubject.Health)
  check(@Payload() _req: HealthRequest): Promise<HealthReply> {
    return this.database.check(instanceNameOf(this.config));
  }
}
