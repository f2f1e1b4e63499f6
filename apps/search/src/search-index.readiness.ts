import { Injectable } from '@nestjs/common';
import type { ReadinessCheck } from '@app/health';
import { SearchIndex } from './search-index';

/** Ready while the index file answers a key lookup. */
@Injectable()
export class SearchIndexReadiness implements ReadinessCheck {
  readonly name = 'index';

  constructor(private readonly index: SearchIndex) {}

  check(): Promise<void> {
    this.index.meta('readiness');
    return Promise.resolve();
  }
}
