export * from './mongo-errors';
export * from './database-unavailable.interceptor';
export * from './ping-database';
export * from './expiry-buckets';
export * from './id-keyed-rate-limiter';
