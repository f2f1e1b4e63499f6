import { ROOM_NAME_MAX } from '@app/contracts';
import { CodePoints, NoControlChars } from '@app/contracts';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString } from 'class-validator';

/** Body of `POST /api/rooms`. */
export class CreateRoomBody {
  @IsString()
  @CodePoints(1, ROOM_NAME_MAX, { trim: true })
  @NoControlChars()
  name!: string;

  @IsIn(['public', 'private'], { message: 'kind must be "public" or "private"' })
  kind!: 'public' | 'private';

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  members?: string[];
}

/** Body of `POST /api/rooms/:id/members` and `POST /api/dm`. A name of any other form simply names nobody. */
export class UsernameBody {
  @IsString()
  username!: string;
}
