import { Injectable } from '@nestjs/common';
import {
  BatchedSend,
  ChatSubject,
  ErrorCode,
  MAX_MENTIONS,
  SEND_BATCH_MAX,
  SendMessageReply,
  SendMessageRequest,
  SendOutcome,
} from '@app/contracts';
import { DomainError, isErrorBody } from '@app/errors';
import { newRequestId, withRequestId } from '@app/logging';
import { NotDelivered, RpcClient, currentOrigin, traceFieldsOf } from '@app/nats';

/**
 * A batch is at most this large (by sizeOf), so its request and its reply stay well under NATS's
 * max_payload (1 MB by default): 256 sends of 4,000 characters would be 4 MB.
 */
export const SEND_BATCH_BYTES = 384 * 1024;

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
  /** sizeOf the waiting sends. */
  private bytes = 0;

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
      const size = sizeOf(item);
      if (this.bytes + size > SEND_BATCH_BYTES) void this.flush();
      this.waiting.push({ item, resolve, reject });
      this.bytes += size;
      if (this.waiting.length >= SEND_BATCH_MAX) void this.flush();
      // The turn's first send schedules the batch; its request is no single send's own.
      else if (this.waiting.length === 1) setImmediate(() => void withRequestId(newRequestId(), () => this.flush()));
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    this.bytes = 0;
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

/**
 * An upper bound of a send's share of its batch's request and of the reply: 6 bytes per UTF-16 unit
 * of its strings (a `\uXXXX` escape is JSON's longest), 512 bytes for the rest of the request and of
 * the stored message's view, and what the view adds: 1 KiB per attachment and 256 bytes per `@` in the
 * body (MAX_MENTIONS of them at most: a mention is a user's id and name).
 */
export function sizeOf(item: BatchedSend): number {
  const { send } = item;
  const body = send.body ?? '';
  let units = body.length + send.roomId.length + send.clientMsgId.length + send.actor.id.length;
  units += send.actor.username.length + (item.requestId?.length ?? 0);
  for (const id of send.attachmentIds ?? []) units += id.length;
  for (const value of Object.values(item.trace ?? {})) units += value.length;
  let ats = 0;
  for (let at = body.indexOf('@'); at !== -1 && ats < MAX_MENTIONS; at = body.indexOf('@', at + 1)) ats++;
  return 6 * units + 512 + 1024 * (send.attachmentIds?.length ?? 0) + 256 * ats;
}
