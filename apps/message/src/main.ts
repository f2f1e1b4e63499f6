import 'reflect-metadata';
import { StoreReadiness, endWritesOnClosedConnections } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AppModule } from './app.module';
import { MessageConfig, instanceNameOf } from './message.config';
import { messageErrors } from './message.errors';

// A driver bug otherwise leaves the process without its database for good after the store restarts.
endWritesOnClosedConnections();

bootstrapService({
  name: 'message',
  config: MessageConfig,
  module: (config) => AppModule.forRoot(config),
  instanceName: instanceNameOf,
  readiness: [StoreReadiness],
  errors: messageErrors,
});
