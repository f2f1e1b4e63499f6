import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubject, RegisterReply, RegisterRequest, ResolveUsersReply, ResolveUsersRequest } from '@app/contracts';
import { Handles } from '@app/nats';
import { UserService } from './user.service';

@Controller()
export class UserController {
  constructor(private readonly users: UserService) {}

  @Handles(AuthSubject.Register)
  async register(@Payload() req: RegisterRequest): Promise<RegisterReply> {
    return { user: await this.users.register(req) };
  }

  @Handles(AuthSubject.ResolveUsers)
  async resolve(@Payload() req: ResolveUsersRequest): Promise<ResolveUsersReply> {
    return { users: await this.users.resolve(req.usernames) };
  }
}
