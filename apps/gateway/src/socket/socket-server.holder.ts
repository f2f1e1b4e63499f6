import { Injectable } from '@nestjs/common';
import type { ClientToServer, ServerToClient } from '@app/contracts';
import type { Server } from 'socket.io';
import { ChatSocket, SocketData } from './socket-events';

export type ChatServer = Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

/** The socket.io server, once the gateway has been initialised, for the services that emit. */
@Injectable()
export class SocketServerHolder {
  private current?: ChatServer;

  set(server: ChatServer): void {
    this.current = server;
  }

  get server(): ChatServer {
    if (!this.current) throw new Error('socket.io server is not initialised yet');
    return this.current;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** This process's sockets in a local channel (in-memory adapter: synchronous). */
  socketsIn(channelName: string): ChatSocket[] {
    if (!this.current) return [];
    const nsp = this.current.sockets;
    const ids = nsp.adapter.rooms.get(channelName);
    if (!ids) return [];
    const sockets: ChatSocket[] = [];
    for (const id of ids) {
      const socket = nsp.sockets.get(id);
      if (socket) sockets.push(socket);
    }
    return sockets;
  }

  all(): ChatSocket[] {
    return this.current ? [...this.current.sockets.sockets.values()] : [];
  }
}
