import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Session, SessionSchema } from '../session/session.schema';
import { User, UserSchema } from '../user/user.schema';
import { Username, UsernameSchema } from '../user/username.schema';
import { ExpiryService } from './expiry.service';
import { StoreMigration } from './store-migration';

/** Store set-up shared by the features: the migration of older layouts (run first) and expiry. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: Username.name, schema: UsernameSchema },
      { name: Session.name, schema: SessionSchema },
    ]),
  ],
  providers: [StoreMigration, ExpiryService],
  exports: [ExpiryService],
})
export class DatabaseModule {}
