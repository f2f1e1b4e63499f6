import { Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import { EventEmitter } from 'node:events';
import { dirname } from 'node:path';

/**
 * A fix for the MongoDB driver (mongodb 7.8–7.9.1, the newest at the time of writing): a command
 * written to a connection whose socket was already destroyed, but whose 'close' had not yet been
 * emitted, never settles. `Connection.writeCommand` sees `socket.write()` return false (the socket
 * is gone) and waits for a 'drain' that a destroyed socket never emits; no 'error' comes either, and
 * the connection's own close cannot reach a command that is not yet reading. When the server dies,
 * every socket to it ends at once, and the first failed operation has the monitor check the server
 * at once: on the monitor's connection that check hung for good, the server stayed Unknown and the
 * process never used the database again (seen in the chaos suite after a SIGKILL of the store: the
 * message service unready for ever, with the store up again).
 *
 * The fix: a command's write also ends when its connection closes, with the connection's error, a
 * MongoNetworkError, as any command on a dropped connection does. The monitor then drops that
 * connection and opens a new one on its next check. The driver's connection class is internal: if a
 * driver release no longer has `writeCommand`, nothing is patched and a warning says so.
 */
interface DriverConnection extends EventEmitter {
  closed: boolean;
  error?: Error;
  id: number | string;
  address: string;
  writeCommand(command: unknown, options: unknown): Promise<void>;
}

const PATCHED = Symbol.for('chat.mongo.closedSocketWrites');
const logger = new Logger('MongoDriver');

/** The error a write on a closed connection ends with: the connection's own, or one like it. */
function closedError(connection: DriverConnection): Error {
  return connection.error ?? new mongo.MongoNetworkError(`connection ${connection.id} to ${connection.address} closed`);
}

/** Installs the fix once per process (idempotent). Returns whether the driver is patched. */
export function endWritesOnClosedConnections(): boolean {
  let prototype: (DriverConnection & { [PATCHED]?: boolean }) | undefined;
  try {
    // The driver mongoose loads (its own copy, wherever npm put it).
    const path = require.resolve('mongodb/lib/cmap/connection', { paths: [dirname(require.resolve('mongoose'))] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const internal = require(path) as { Connection?: { prototype: DriverConnection } };
    prototype = internal.Connection?.prototype;
  } catch {
    prototype = undefined;
  }
  if (!prototype || typeof prototype.writeCommand !== 'function') {
    logger.warn({ msg: 'mongodb driver: Connection.writeCommand not found, closed-socket write fix not installed' });
    return false;
  }
  if (prototype[PATCHED]) return true;
  const writeCommand = prototype.writeCommand;
  prototype.writeCommand = function (this: DriverConnection, command: unknown, options: unknown): Promise<void> {
    if (this.closed) return Promise.reject(closedError(this));
    return new Promise<void>((resolve, reject) => {
      const onClose = (): void => reject(closedError(this));
      this.once('close', onClose);
      writeCommand.call(this, command, options).then(
        () => {
          this.off('close', onClose);
          resolve();
        },
        (err: unknown) => {
          this.off('close', onClose);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  };
  prototype[PATCHED] = true;
  return true;
}
