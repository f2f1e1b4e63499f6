import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubject, HealthReply, HealthRequest } from '@app/contracts';
import { DatabaseHealthService } from '@app/mongo';
import { Handles } from '@app/nats';
import { AuthConfig, instanceName } from '../auth.config';

/** Ready means: this instance answers NATS and its database answers it. */
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseHealthService,
    private readonly config: AuthConfig,
  ) {}

  @Handles(AuthSubject.Health)
  check(@Payload() _req: HealthRequest): Promise<HealthReply> {
    return this.database.check(instanceName(this.config));
  }
}
