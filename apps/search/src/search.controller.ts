import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatSubject, HealthReply, HealthRequest, SearchReply, SearchRequest } from '@app/contracts';
import { Handles } from '@app/nats';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchService } from './search.service';

@Controller()
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly config: SearchConfig,
  ) {}

  @Handles(ChatSubject.Search)
  query(@Payload() req: SearchRequest): Promise<SearchReply> {
    return this.search.search(req);
  }

  /** Alive and subscribed (the container probe, deploy/healthcheck.js). */
  @Handles(ChatSubject.SearchHealth)
  health(@Payload() _req: HealthRequest): Promise<HealthReply> {
    return Promise.resolve({ status: 'ok', instance: instanceNameOf(this.config) });
  }
}
