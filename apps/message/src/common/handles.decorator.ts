import { MessagePattern } from '@nestjs/microservices';
import { RequestSubject, queueOf } from '@app/contracts';

/** A request handler: the subject's own queue group, so each request is served by one instance. */
export const Handles = (subject: RequestSubject): MethodDecorator =>
  MessagePattern(subject, { queue: queueOf(subject) });
