import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ActorRequest } from './chat.payloads';
import { ID_MAX } from '../rules';
import type { MessageView } from '../views';

/** Longest query text, in characters. */
export const SEARCH_QUERY_MAX = 200;
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_LIMIT_DEFAULT = 20;
/** `nextBefore`: an opaque cursor (base64url of a position in the index). */
export const SEARCH_CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,24}$/;

export class SearchRequest extends ActorRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(SEARCH_QUERY_MAX)
  q!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  roomId?: string;

  @IsOptional()
  @IsString()
  @Matches(SEARCH_CURSOR_PATTERN, { message: 'before must be a cursor returned as nextBefore' })
  before?: string;

  @IsInt()
  @Min(1)
  @Max(SEARCH_LIMIT_MAX)
  limit!: number;
}

export interface SearchResult {
  message: MessageView;
  /** The words of the message that matched, as written there, once each. */
  highlights: string[];
}

export interface SearchReply {
  results: SearchResult[];
  nextBefore?: string;
}
