import { MessagePattern } from '@nestjs/microservices';
import { ReplyOf, RequestOf, RequestSubject, queueOf } from '@app/contracts';

type Handler<S extends RequestSubject> = (req: RequestOf<S>) => Promise<ReplyOf<S>>;

/**
 * A request handler in the subject's own queue group, so each request is served by one
 * instance. Typed by the subject: a handler taking or answering the wrong shape does not compile.
 */
export function Handles<S extends RequestSubject>(subject: S) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Handler<S>>): void => {
    MessagePattern(subject, { queue: queueOf(subject) })(target, key, descriptor);
  };
}
