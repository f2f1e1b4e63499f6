import { MongoConfig } from '@app/config';

/** Environment of the message service: the shared variables plus its MongoDB URL. */
export class MessageConfig extends MongoConfig {}

/** Names this process in logs, NATS connections and health replies. */
export function instanceNameOf(config: MessageConfig): string {
  return config.INSTANCE_NAME || `message-${process.pid}`;
}
