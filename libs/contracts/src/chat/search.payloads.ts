import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ActorRequest } from './chat.payloads';
import { ID_MAX } from '../rules';
import { MessageView, type RoomKind } from '../views';

/** Longest query text, in characters. */
export const SEARCH_QUERY_MAX = 200;
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_LIMIT_DEFAULT = 20;
/** `nextBefore`: an opaque cursor (base64url of a position in the index). */
export const SEARCH_CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,24}$/;
export const EXPORT_ROOMS_MAX = 1000;
export const EXPORT_MESSAGES_MAX = 200;

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

export class SearchResult {
  @ApiProperty({ type: () => MessageView })
  message!: MessageView;

  /** The words of the message that matched, as written there, once each. */
  @ApiProperty({ type: [String], description: 'The words of the message that matched, as written there, once each' })
  highlights!: string[];
}

export class SearchReply {
  @ApiProperty({ type: () => [SearchResult], description: 'Newest first' })
  results!: SearchResult[];

  @ApiPropertyOptional({ description: 'Opaque cursor of the next page (pass it as `before`); absent on the last page' })
  nextBefore?: string;
}

/** Between services only (the search service rebuilding its index): a page of every room, by id. */
export class ExportRoomsRequest {
  @IsInt()
  @Min(0)
  offset!: number;

  @IsInt()
  @Min(1)
  @Max(EXPORT_ROOMS_MAX)
  limit!: number;
}

export interface ExportRoomsReply {
  rooms: { id: string; kind: RoomKind; lastSeq: number }[];
}

/** Between services only: a room's stored messages from seq `fromSeq` on, in seq order. */
export class ExportMessagesRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  roomId!: string;

  @IsInt()
  @Min(1)
  fromSeq!: number;

  @IsInt()
  @Min(1)
  @Max(EXPORT_MESSAGES_MAX)
  limit!: number;
}

export interface ExportMessagesReply {
  messages: MessageView[];
}
