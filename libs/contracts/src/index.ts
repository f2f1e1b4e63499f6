// class-transformer's @Type reads design metadata: whoever imports the contracts gets the polyfill.
import 'reflect-metadata';
export * from './error-code';
export * from './views';
export * from './rules';
export * from './validators';
export * from './subjects';
export * from './auth/auth.payloads';
export * from './chat/chat.payloads';
export * from './chat/attachment.payloads';
export * from './chat/realtime.payloads';
export * from './chat/search.payloads';
export * from './health.payloads';
export * from './socket';
