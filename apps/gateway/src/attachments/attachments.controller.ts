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
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode, SessionView, UploadReply } from '@app/contracts';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiErrors } from '../api-docs/api-errors.decorator';
import { CurrentSession } from '../auth/current-session.decorator';
import { SessionAuthGuard } from '../auth/session-auth.guard';
import { contentDispositionOf } from './attachment-type';
import { AttachmentsService, ReceivedFile } from './attachments.service';
import { MultipartOnlyInterceptor } from './multipart-only.interceptor';

@ApiTags('attachments')
@ApiBearerAuth('bearer')
@ApiCookieAuth('sid')
@ApiErrors(ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND, ErrorCode.UNAVAILABLE)
@Controller('api')
@UseGuards(SessionAuthGuard)
export class AttachmentsController {
  private readonly logger = new Logger(AttachmentsController.name);

  constructor(private readonly attachments: AttachmentsService) {}

  /** multipart/form-data, field `file`; size limit and parsing from MulterModule (attachments.module.ts). */
  @Post('rooms/:id/attachments')
  @HttpCode(201)
  @UseInterceptors(MultipartOnlyInterceptor, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a file to a room, to attach to a message (message:send attachmentIds)',
    description:
      'One file in field `file`, up to ATTACHMENT_MAX_BYTES (10 MiB by default). Its declared type must be on ' +
      'the allow-list (images, pdf, plain text, csv, zip, office documents, audio/video, octet-stream; never ' +
      'HTML, SVG or XML). An upload no message carries expires after ATTACHMENT_UNUSED_TTL_SECONDS.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiCreatedResponse({ type: UploadReply, description: 'The stored attachment' })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.FORBIDDEN,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.RATE_LIMITED,
  )
  upload(
    @CurrentSession() s: SessionView,
    @Param('id') roomId: string,
    @UploadedFile() file: ReceivedFile | undefined,
  ): Promise<UploadReply> {
    return this.attachments.upload(s.user, roomId, file);
  }

  @Get('attachments/:id')
  @ApiOperation({
    summary: "An attachment's bytes, to members of its room only (404 to anyone else)",
    description:
      'Served with its stored Content-Type, Content-Length, X-Content-Type-Options: nosniff, a sandboxing CSP, ' +
      'and Content-Disposition inline for images, attachment otherwise.',
  })
  @ApiProduces('*/*')
  @ApiOkResponse({ description: 'The bytes', schema: { type: 'string', format: 'binary' } })
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
