import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiErrors } from '../api-docs/api-errors.decorator';
import { HealthStatus } from './health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @ApiOkResponse({ type: HealthStatus, description: 'Alive' })
  live(): HealthStatus {
    return { status: 'ok' };
  }

  /** Readiness: 503 UNAVAILABLE unless NATS and both services answer and we are not shutting down. */
  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: NATS is connected and the services answer within 2 s' })
  @ApiOkResponse({ type: HealthStatus, description: 'Ready' })
  @ApiErrors(ErrorCode.UNAVAILABLE)
  async ready(): Promise<HealthStatus> {
    await this.readiness.check();
    return { status: 'ok' };
  }
}
