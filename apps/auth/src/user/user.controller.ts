import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthSubject,
  RegisterReply,
  RegisterRequest,
  ResolveUsersReply,
  ResolveUsersRequest,
  queueOf,
} from '@app/contracts';
import { UserService } from './user.service';

@Controller()
export class UserController {
  constructor(private readonly users: UserService) {}

  @MessagePattern(AuthSubject.Register, { queue: queueOf(AuthSubject.Register) })
  async register(@Payload() req: RegisterRequest): Promise<RegisterReply> {
    return { user: await this.users.register(req) };
  }

  @MessagePattern(AuthSubject.ResolveUsers, { queue: queueOf(AuthSubject.ResolveUsers) })
  async resolve(@Payload() req: ResolveUsersRequest): Promise<ResolveUsersReply> {
    return { users: await this.users.resolve(req.usernames) };
  }
}
