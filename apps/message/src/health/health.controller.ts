import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatSubject, HealthReply, HealthRequest } from '@app/contracts';
import { Handles } from '@app/nats';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Handles(ChatSubject.Health)
  check(@Payload() _req: HealthRequest): Promise<HealthReply> {
    return this.health.check();
  }
}
