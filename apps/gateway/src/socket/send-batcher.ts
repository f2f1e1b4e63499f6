import { Injectable } from '@nestjs/common';
import {
  BatchedSend,
  ChatSubject,
  ErrorCode,
  SEND_BATCH_MAX,
  SendMessageReply,
  SendMessageRequest,
  SendOutcome,
} from '@app/contracts';
import { DomainError, isErrorBody } from '@app/errors';
import { newRequestId, withRequestId } from '@app/logging';
import { NotDelivered, RpcClient, currentOrigin, traceFieldsOf } from '@app/nats';

interface Waiting {
  item: BatchedSend;
  resolve: (reply: SendMessageReply) => void;
  reject: (err: unknown) => void;
}

/**
 * The sends of one event-loop turn go to the message service in one request (SendMessages): its
 * work per send stays the same, but a request's own cost (NATS on both sides, Nest's pipeline, the
 * reply) is paid once per turn instead of once per send (docs/performance.md, stop 19). Each send
 * keeps its outcome and its request id. A message service that does not serve SendMessages (one
 * older than this gateway, during an upgrade) gets them one by one.
 */
@Injectable()
export class SendBatcher {
  private waiting: Waiting[] = [];

  constructor(private readonly rpc: RpcClient) {}

  /** Timed, traced and logged as a request on SendMessage of its own (RpcClient.track). */
  send(send: SendMessageRequest): Promise<SendMessageReply> {
    return this.rpc.track(ChatSubject.SendMessage, () => this.enqueue(send));
  }

  private enqueue(send: SendMessageRequest): Promise<SendMessageReply> {
    return new Promise<SendMessageReply>((resolve, reject) => {
      const { requestId, trace } = currentOrigin();
      const fields = traceFieldsOf(trace);
      const item: BatchedSend = { send };
      if (requestId !== undefined) item.requestId = requestId;
      if (fields !== undefined) item.trace = fields;
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= SEND_BATCH_MAX) void this.flush();
      // The turn's first send schedules the batch; its request is no single send's own.
      else if (this.waiting.length === 1) setImmediate(() => void withRequestId(newRequestId(), () => this.flush()));
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let results: SendOutcome[];
    try {
      ({ results } = await this.rpc.request(ChatSubject.SendMessages, { sends: batch.map((w) => w.item) }));
    } catch (err) {
      if (err instanceof NotDelivered) return this.oneByOne(batch);
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => settle(w, results[i]));
  }

  private oneByOne(batch: Waiting[]): void {
    for (const { item, resolve, reject } of batch) {
      const ask = () => this.rpc.request(ChatSubject.SendMessage, item.send, { tracked: false });
      (item.requestId === undefined ? ask() : withRequestId(item.requestId, ask)).then(resolve, reject);
    }
  }
}

function settle(w: Waiting, outcome: SendOutcome | undefined): void {
  if (outcome !== undefined && 'message' in outcome) return w.resolve(outcome);
  const body = outcome?.error;
  if (isErrorBody(body)) return w.reject(new DomainError(body.code, body.message, body.retryAfter));
  w.reject(new DomainError(ErrorCode.INTERNAL, 'The message service answered this send with nothing'));
}
