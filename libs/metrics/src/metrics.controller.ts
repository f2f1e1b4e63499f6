import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsRegistry } from './metrics-registry';

/** GET /metrics in Prometheus's text format: every series of this process. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus text format' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Process metrics and the chat_* series', schema: { type: 'string' } })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
