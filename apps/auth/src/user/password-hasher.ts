import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's baseline). The parameters
 * travel inside each PHC string, so raising them later keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      // A malformed stored hash matches nothing.
      return false;
    }
  }

  /** Spends the time of a real verification, so an unknown username answers as slowly as a wrong password. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= hash(randomBytes(32).toString('base64url'));
    await this.verify(await this.dummy, password);
    return false;
  }
}
