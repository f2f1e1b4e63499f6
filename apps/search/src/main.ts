import 'reflect-metadata';
import { bootstrapService } from '@app/nats';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchIndexReadiness } from './search-index.readiness';
import { SearchModule } from './search.module';

bootstrapService({
  name: 'search',
  config: SearchConfig,
  module: (config) => SearchModule.forRoot(config),
  instanceName: instanceNameOf,
  readiness: [SearchIndexReadiness],
});
