import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuthModule } from '../auth/auth.module';
import { GatewayConfig } from '../gateway.config';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    AuthModule,
    MulterModule.registerAsync({
      inject: [GatewayConfig],
      // No storage named: multer keeps the file in memory, up to the limit (past it, 413), then it is sent on in chunks.
      useFactory: (config: GatewayConfig) => ({
        defParamCharset: 'utf8',
        limits: { fileSize: config.ATTACHMENT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [AttachmentsService],
})
export class AttachmentsModule {}
