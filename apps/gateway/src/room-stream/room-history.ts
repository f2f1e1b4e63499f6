import { Injectable, Logger } from '@nestjs/common';
import { ChatSubject, HistoryReply } from '@app/contracts';
import { RpcClient } from '@app/nats';
import { channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';

/** Where the sequencer reads the messages it did not hear: a gap, or what came before a subscription. */
export abstract class RoomHistory {
  /** Messages after `afterSeq`, ascending; `null` when nobody here may read the room any more. */
  abstract fetchAfter(roomId: string, afterSeq: number, limit: number): Promise<HistoryReply | null>;
}

/** The message service's history, read as one of the room's local members: private rooms answer members only. */
@Injectable()
export class MessageServiceHistory extends RoomHistory {
  private readonly logger = new Logger(MessageServiceHistory.name);

  constructor(
    private readonly sockets: SocketServerHolder,
    private readonly rpc: RpcClient,
  ) {
    super();
  }

  async fetchAfter(roomId: string, afterSeq: number, limit: number): Promise<HistoryReply | null> {
    const [member] = this.sockets.socketsIn(channel.room(roomId));
    if (!member) return null;
    const { id, username } = member.data.session.user;
    try {
      return await this.rpc.request(ChatSubject.History, { actor: { id, username }, roomId, after: afterSeq, limit });
    } catch (err) {
      this.logger.warn({ msg: 'history for a gap fill failed', roomId, afterSeq, err });
      return null;
    }
  }
}
