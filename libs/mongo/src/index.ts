export * from './mongo-errors';
export * from './database-unavailable.interceptor';
export * from './ping-database';
