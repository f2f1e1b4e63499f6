import { MessagePattern } from '@nestjs/microservices';
import { ReplyOf, RequestOf, RequestSubject, queueOf } from '@app/contracts';

// Extra parameters (the request's NatsContext, `@Ctx()`) are the handler's own business.
type Handler<S extends RequestSubject> = (req: RequestOf<S>, ...extra: never[]) => Promise<ReplyOf<S>>;

/**
 * A request handler in the subject's own queue group, so each request is served by one
 * instance. Typed by the subject: a handler taking or answering the wrong shape does not compile.
 */
export function Handles<S extends RequestSubject>(subject: S, opts: HandlesOptions = {}) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Handler<S>>): void => {
    MessagePattern(subject, { queue: queueOf(subject), direct: opts.direct === true })(target, key, descriptor);
  };
}

export interface HandlesOptions {
  /**
   * Also served when addressed to this instance (`directSubject(subject, server.address)`),
   * outside the queue group: how one instance hands a request to the one that should serve it.
   */
  direct?: boolean;
}
