import { Injectable } from '@nestjs/common';
import { ErrorCode, RegisterRequest, UserView } from '@app/contracts';
import { RegisterLimitService } from '../login-throttle/register-limit.service';
import { DomainError } from '@app/errors';
import { randomUUID } from 'node:crypto';
import { PasswordHasher } from './password-hasher';
import { UserRepository } from './user.repository';
import { User } from './user.schema';

/** The uniqueness and lookup key of a username. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function toUserView(user: Pick<User, '_id' | 'username'>): UserView {
  return { id: user._id, username: user.username };
}

@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: RegisterLimitService,
  ) {}

  /** Within the per-address limit (RATE_LIMIT_REGISTER), checked before anything costs a hash. */
  async register({ username, password, clientIp, exempt }: RegisterRequest): Promise<UserView> {
    await this.limits.consume(clientIp, exempt === true);
    const usernameLower = usernameKey(username);
    // Cheap early answer (saves a hash); the name entry's `_id` decides races between registrations.
    if (await this.users.findByUsernameLower(usernameLower)) throw usernameTaken();
    const user = { _id: randomUUID(), username, usernameLower, passwordHash: await this.hasher.hash(password) };
    if (!(await this.users.insert(user))) throw usernameTaken();
    return toUserView(user);
  }

  /** The user these credentials belong to, or null; takes a hash's time either way. */
  async authenticate(username: string, password: string): Promise<UserView | null> {
    const user = await this.users.findByUsernameLower(usernameKey(username));
    if (!user) return this.hasher.verifyDummy(password).then(() => null);
    return (await this.hasher.verify(user.passwordHash, password)) ? toUserView(user) : null;
  }

  /** The users named, matched without regard to case; unknown names are left out. */
  async resolve(usernames: string[]): Promise<UserView[]> {
    const keys = [...new Set(usernames.map(usernameKey))];
    return (await this.users.findManyByUsernameLower(keys)).map(toUserView);
  }
}

function usernameTaken(): DomainError {
  return new DomainError(ErrorCode.USERNAME_TAKEN, 'This username is already taken');
}
