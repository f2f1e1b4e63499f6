export * from './root-logger';
export * from './nest-logger';
export * from './request-context';
export * from './access-log';
