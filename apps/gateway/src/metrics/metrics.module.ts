import { Global, Module } from '@nestjs/common';
import { MetricsModule as SharedMetricsModule } from '@app/metrics';
import { MetricsService } from './metrics.service';

/** The process's registry and GET /metrics (libs/metrics), plus the gateway's own series. */
@Global()
@Module({
  imports: [SharedMetricsModule],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
