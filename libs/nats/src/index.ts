export * from './nats.tokens';
export * from './rpc-client';
export * from './event-bus';
export * from './nats.module';
export * from './safe-request.deserializer';
export * from './nats-server.options';
export * from './handles.decorator';
export * from './bootstrap-service';
