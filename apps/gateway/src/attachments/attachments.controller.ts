import {
  Controller,
  Get,
  HttpCode,
  Logger,
  Param,
  Post,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { AttachmentView, SessionView } from '@app/contracts';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { contentDispositionOf } from './attachment-type';
import { AttachmentsService, ReceivedFile } from './attachments.service';
import { MultipartOnlyInterceptor } from './multipart-only.interceptor';

@Controller('api')
@UseGuards(SessionAuthGuard)
export class AttachmentsController {
  private readonly logger = new Logger(AttachmentsController.name);

  constructor(private readonly attachments: AttachmentsService) {}

  /** multipart/form-data, field `file`; size limit and parsing from MulterModule (attachments.module.ts). */
  @Post('rooms/:id/attachments')
  @HttpCode(201)
  @UseInterceptors(MultipartOnlyInterceptor, FileInterceptor('file'))
  upload(
    @CurrentSession() s: SessionView,
    @Param('id') roomId: string,
    @UploadedFile() file: ReceivedFile | undefined,
  ): Promise<{ attachment: AttachmentView }> {
    return this.attachments.upload(s.user, roomId, file);
  }

  @Get('attachments/:id')
  async download(@CurrentSession() s: SessionView, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const { attachment, chunks } = await this.attachments.download(s.user, id);
    res.status(200).set({
      'Content-Type': attachment.type,
      'Content-Length': String(attachment.size),
      'Content-Disposition': contentDispositionOf(attachment.type, attachment.name),
      'X-Content-Type-Options': 'nosniff',
      // Whatever the type, nothing served from here may run script on our origin.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'private, max-age=3600',
    });
    try {
      await pipeline(Readable.from(chunks), res);
    } catch (err) {
      // Headers are gone already: the client sees a cut response, shorter than Content-Length.
      this.logger.warn({ msg: 'attachment download failed', attachmentId: id, err });
    }
  }
}
