import 'reflect-metadata';
import { StoreReadiness, databaseUnavailable, endWritesOnClosedConnections } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AuthConfig, instanceName } from './auth.config';
import { AuthModule } from './auth.module';

// A driver bug otherwise leaves the process without its database for good after the store restarts.
endWritesOnClosedConnections();

bootstrapService({
  name: 'auth',
  config: AuthConfig,
  module: (config) => AuthModule.register(config),
  instanceName,
  readiness: [StoreReadiness],
  errors: databaseUnavailable('The auth database does not answer'),
});
