import { Injectable } from '@nestjs/common';
import { AuthSubject, USERNAME_PATTERN, UserRef } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';

/** Usernames → users, through the auth service. */
@Injectable()
export class UserDirectoryService {
  constructor(private readonly rpc: RpcClient) {}

  /** Every name must name a user (case-insensitively): the first that does not is NOT_FOUND. */
  async resolve(usernames: string[]): Promise<UserRef[]> {
    const wanted = new Map<string, string>();
    for (const name of usernames) wanted.set(name.toLowerCase(), name);
    if (wanted.size === 0) return [];
    for (const name of wanted.values()) {
      // A name that breaks the username rules was never registered: no need to ask.
      if (!USERNAME_PATTERN.test(name)) throw notFound(name);
    }
    const { users } = await this.rpc.request(AuthSubject.ResolveUsers, { usernames: [...wanted.values()] });
    const found = new Map(users.map((u) => [u.username.toLowerCase(), u]));
    return [...wanted].map(([key, name]) => {
      const user = found.get(key);
      if (!user) throw notFound(name);
      return { id: user.id, username: user.username };
    });
  }

  async resolveOne(username: string): Promise<UserRef> {
    const [user] = await this.resolve([username]);
    return user;
  }
}

function notFound(name: string): DomainError {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return DomainError.notFound(`User "${shown}" not found`);
}
