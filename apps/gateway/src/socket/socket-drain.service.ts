import { Injectable, Logger } from '@nestjs/common';
import { ChatSocket } from './socket-events';
import { SocketServerHolder } from './socket-server.holder';

/**
 * Counts each socket's requests in flight, so shutdown can let acks out before it closes the
 * socket's transport. Closing the transport (not `socket.disconnect()`, which tells the client
 * not to come back) makes socket.io-client reconnect, to another gateway.
 */
@Injectable()
export class SocketDrainService {
  private readonly logger = new Logger(SocketDrainService.name);
  private readonly inflight = new Map<string, number>();
  private closing = false;
  private onIdle?: () => void;

  constructor(private readonly sockets: SocketServerHolder) {}

  get total(): number {
    let n = 0;
    for (const count of this.inflight.values()) n += count;
    return n;
  }

  async track<T>(socket: ChatSocket, work: () => Promise<T>): Promise<T> {
    this.inflight.set(socket.id, (this.inflight.get(socket.id) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.inflight.get(socket.id) ?? 1) - 1;
      if (left > 0) this.inflight.set(socket.id, left);
      else this.inflight.delete(socket.id);
      if (this.closing && left <= 0) {
        // Let the ack leave first: socket.io writes it on this same tick.
        setImmediate(() => socket.conn.close());
        if (this.inflight.size === 0) this.onIdle?.();
      }
    }
  }

  /** Closes every transport: idle sockets now, busy ones once their acks are out, the rest at the deadline. */
  async closeAll(graceMs: number): Promise<void> {
    this.closing = true;
    const all = this.sockets.all();
    for (const socket of all) {
      if (!this.inflight.has(socket.id)) socket.conn.close();
    }
    if (this.inflight.size > 0) {
      this.logger.log({ msg: 'waiting for in-flight requests', count: this.total });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const socket of this.sockets.all()) socket.conn.close();
    this.logger.log({ msg: 'socket transports closed', sockets: all.length });
  }
}
