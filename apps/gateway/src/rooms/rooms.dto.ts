import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROOM_NAME_MAX } from '@app/contracts';
import { CodePoints, NoControlChars } from '@app/contracts';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString } from 'class-validator';

/** Body of `POST /api/rooms`. */
export class CreateRoomBody {
  @ApiProperty({
    minLength: 1,
    maxLength: ROOM_NAME_MAX,
    description: 'Code points after trimming; no control characters',
    example: 'design',
  })
  @IsString()
  @CodePoints(1, ROOM_NAME_MAX, { trim: true })
  @NoControlChars()
  name!: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @IsIn(['public', 'private'], { message: 'kind must be "public" or "private"' })
  kind!: 'public' | 'private';

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    description: 'Usernames to add (a private room); each must name a user (404 otherwise)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  members?: string[];
}

/** Body of `POST /api/rooms/:id/members` and `POST /api/dm`. A name of any other form simply names nobody. */
export class UsernameBody {
  @ApiProperty({ example: 'bob' })
  @IsString()
  username!: string;
}
