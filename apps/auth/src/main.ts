import 'reflect-metadata';
import { DatabaseUnavailableInterceptor, StoreReadiness } from '@app/mongo';
import { bootstrapService } from '@app/nats';
import { AuthConfig, instanceName } from './auth.config';
import { AuthModule } from './auth.module';

bootstrapService({
  name: 'auth',
  config: AuthConfig,
  module: (config) => AuthModule.register(config),
  instanceName,
  readiness: [StoreReadiness],
  interceptors: [new DatabaseUnavailableInterceptor('The auth database does not answer')],
});
