import { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';

const decoder = new TextDecoder();

/**
 * Nest's NATS deserializer throws on bytes that are not JSON, inside an async callback: the
 * rejection is unhandled and takes the whole service down. Here such a request reaches its
 * handler with no payload instead, so the validation pipe answers VALIDATION_FAILED.
 * Pass it as `options.deserializer` of a `Transport.NATS` microservice.
 */
export class SafeRequestDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: Record<string, unknown>): IncomingRequest | IncomingEvent {
    const channel = options?.channel as string | undefined;
    let decoded: unknown;
    try {
      decoded = JSON.parse(decoder.decode(value));
    } catch {
      return { pattern: channel, data: undefined, id: 'malformed' };
    }
    if (isPacket(decoded)) return decoded;
    // Not in Nest's envelope: an event without reply, as Nest itself treats it.
    return { pattern: channel, data: decoded };
  }
}

function isPacket(value: unknown): value is IncomingRequest | IncomingEvent {
  if (typeof value !== 'object' || value === null) return false;
  const packet = value as Record<string, unknown>;
  return packet.pattern !== undefined || packet.data !== undefined;
}
