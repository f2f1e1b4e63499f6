export * from './tracing';
export * from './http-tracing';
export * from './tracing-shutdown';
