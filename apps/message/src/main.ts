import 'reflect-metadata';
import { StoreReadiness, databaseUnavailable } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AppModule } from './app.module';
import { MessageConfig, instanceNameOf } from './message.config';

bootstrapService({
  name: 'message',
  config: MessageConfig,
  module: (config) => AppModule.forRoot(config),
  instanceName: instanceNameOf,
  readiness: [StoreReadiness],
  errors: databaseUnavailable('The message store is unavailable'),
});
