import { Injectable } from '@nestjs/common';

/** Set once shutdown begins: readiness fails and new work is turned away. */
@Injectable()
export class DrainState {
  private draining = false;

  get stopping(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }
}
