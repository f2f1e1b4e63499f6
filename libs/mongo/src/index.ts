export * from './mongo-errors';
export * from './database-unavailable.interceptor';
export * from './ping-database';
export * from './ensure-indexes';
export * from './database-health.service';
export * from './database-health.module';
export * from './expiry-buckets';
export * from './id-keyed-rate-limiter';
