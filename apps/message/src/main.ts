import 'reflect-metadata';
import { DatabaseUnavailableInterceptor, StoreReadiness } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AppModule } from './app.module';
import { MessageConfig, instanceNameOf } from './message.config';

bootstrapService({
  name: 'message',
  config: MessageConfig,
  module: (config) => AppModule.forRoot(config),
  instanceName: instanceNameOf,
  readiness: [StoreReadiness],
  interceptors: [new DatabaseUnavailableInterceptor('The message store is unavailable')],
});
