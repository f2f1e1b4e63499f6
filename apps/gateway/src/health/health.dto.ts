import { ApiProperty } from '@nestjs/swagger';

/** Body of `GET /healthz` and `GET /readyz` when they answer 200. */
export class HealthStatus {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
