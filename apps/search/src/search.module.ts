import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@app/nats';
import { RoomEventIndexer } from './room-event-indexer.service';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchController } from './search.controller';
import { SearchIndex } from './search-index';
import { SearchService } from './search.service';

@Module({})
export class SearchModule {
  static forRoot(config: SearchConfig): DynamicModule {
    return {
      module: SearchModule,
      global: true,
      imports: [
        NatsModule.forRoot({
          url: config.NATS_URL,
          name: `${instanceNameOf(config)}-client`,
          rpcTimeoutMs: config.RPC_TIMEOUT_MS,
        }),
      ],
      controllers: [SearchController],
      providers: [
        { provide: SearchConfig, useValue: config },
        {
          provide: SearchIndex,
          useFactory: () => new SearchIndex(join(config.SEARCH_DATA_DIR, `${instanceNameOf(config)}.sqlite`)),
        },
        SearchService,
        RoomEventIndexer,
      ],
      // The index is read by the ops port's readiness check too.
      exports: [SearchIndex],
    };
  }
}
