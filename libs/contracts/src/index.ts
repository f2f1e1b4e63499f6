export * from './error-code';
export * from './views';
export * from './rules';
export * from './validators';
export * from './subjects';
export * from './auth/auth.payloads';
export * from './chat/chat.payloads';
export * from './health.payloads';
