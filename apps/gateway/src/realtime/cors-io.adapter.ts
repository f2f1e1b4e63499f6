import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';

/** Socket.IO with CORS for the ALLOWED_ORIGINS (its polling transport), none when the list is empty. */
export class CorsIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly origins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const cors = this.origins.length > 0 ? { cors: { origin: this.origins, credentials: true } } : {};
    return super.createIOServer(port, { ...options, ...cors });
  }
}
