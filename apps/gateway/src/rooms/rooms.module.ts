import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DirectController } from './direct.controller';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';
import { UserDirectoryService } from './user-directory.service';

@Module({
  imports: [AuthModule],
  controllers: [RoomsController, DirectController],
  providers: [RoomsService, UserDirectoryService],
})
export class RoomsModule {}
