import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubject, HealthReply, HealthRequest, queueOf } from '@app/contracts';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @MessagePattern(AuthSubject.Health, { queue: queueOf(AuthSubject.Health) })
  check(@Payload() _req: HealthRequest): Promise<HealthReply> {
    return this.health.check();
  }
}
