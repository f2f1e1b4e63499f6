export * from './client-to-server';
export * from './server-to-client';
export * from './socket.payloads';
