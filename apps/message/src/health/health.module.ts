import { Module } from '@nestjs/common';
import { DatabaseHealthModule } from '@app/mongo';
import { HealthController } from './health.controller';

@Module({
  imports: [DatabaseHealthModule.register({ unavailableMessage: 'The message store is unavailable' })],
  controllers: [HealthController],
})
export class HealthModule {}
