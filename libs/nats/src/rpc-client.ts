import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, ReplyOf, RequestOf, RequestSubject } from '@app/contracts';
import { DomainError, isErrorBody } from '@app/errors';
import { ErrorCode as NatsErrorCode, JSONCodec, NatsConnection, NatsError } from 'nats';
import { randomUUID } from 'node:crypto';
import { NATS_CONNECTION, RPC_TIMEOUT_MS } from './nats.tokens';

interface NestReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const codec = JSONCodec<unknown>();

/**
 * Typed request/reply over NATS, speaking the packet format of @nestjs/microservices' NATS
 * transport. Every request has a timeout; no responder or no answer in time is UNAVAILABLE.
 */
@Injectable()
export class RpcClient {
  private readonly logger = new Logger(RpcClient.name);

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async request<S extends RequestSubject>(
    subject: S,
    payload: RequestOf<S>,
    opts: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<S>> {
    let raw: Uint8Array;
    try {
      const msg = await this.nc.request(subject, codec.encode({ pattern: subject, data: payload, id: randomUUID() }), {
        timeout: opts.timeoutMs ?? this.timeoutMs,
      });
      raw = msg.data;
    } catch (err) {
      throw this.transportError(subject, err);
    }
    const packet = codec.decode(raw) as NestReplyPacket;
    if (packet.err !== undefined && packet.err !== null) {
      if (isErrorBody(packet.err)) {
        throw new DomainError(packet.err.code, packet.err.message, packet.err.retryAfter);
      }
      this.logger.error({ msg: 'malformed error reply', subject, err: packet.err });
      throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    }
    return packet.response as ReplyOf<S>;
  }

  private transportError(subject: string, err: unknown): DomainError {
    const code = err instanceof NatsError ? err.code : undefined;
    if (code === NatsErrorCode.NoResponders) {
      return DomainError.unavailable(`No ${subject.split('.')[0]} service is running`);
    }
    if (code === NatsErrorCode.Timeout) {
      return DomainError.unavailable(`The ${subject.split('.')[0]} service did not answer in time`);
    }
    this.logger.warn({ msg: 'request failed', subject, err });
    return DomainError.unavailable();
  }
}
