import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatSubject, SearchReply, SearchRequest } from '@app/contracts';
import { Handles } from '@app/nats';
import { SearchService } from './search.service';

@Controller()
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Handles(ChatSubject.Search)
  query(@Payload() req: SearchRequest): Promise<SearchReply> {
    return this.search.search(req);
  }
}
