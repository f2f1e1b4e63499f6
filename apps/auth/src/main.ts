import 'reflect-metadata';
import { StoreReadiness, databaseUnavailable } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AuthConfig, instanceName } from './auth.config';
import { AuthModule } from './auth.module';

bootstrapService({
  name: 'auth',
  config: AuthConfig,
  module: (config) => AuthModule.register(config),
  instanceName,
  readiness: [StoreReadiness],
  errors: databaseUnavailable('The auth database does not answer'),
});
