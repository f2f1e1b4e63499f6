/** Injection token of the process's one nats.js connection. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** Injection token of the per-request timeout, in milliseconds. */
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');
