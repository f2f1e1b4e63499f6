import type { AttachmentView } from '@app/contracts/views';
import { ApiError, reportUnauthorized } from './api';

/** The contract's refusals, in words for the person who picked the file. */
const STATUS_TEXT: Record<number, string> = {
  413: 'That file is too large to upload.',
  415: 'That file type is not allowed.',
};

/**
 * `POST /api/rooms/:id/attachments` (multipart field `file`, same-origin cookie). XMLHttpRequest
 * rather than fetch because only it reports upload progress (`onProgress` gets 0–1).
 */
export function uploadAttachment(
  roomId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<AttachmentView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/rooms/${encodeURIComponent(roomId)}/attachments`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'UNAVAILABLE', 'Cannot reach the server. Check your connection and try again.')),
    );
    xhr.addEventListener('load', () => {
      const data = xhr.response as { attachment?: AttachmentView; error?: { code?: unknown; message?: unknown } };
      if (xhr.status === 201 && data?.attachment) return resolve(data.attachment);
      if (xhr.status === 401) reportUnauthorized();
      const code = typeof data?.error?.code === 'string' ? data.error.code : 'INTERNAL';
      const serverText = typeof data?.error?.message === 'string' ? data.error.message : undefined;
      const text = STATUS_TEXT[xhr.status] ?? serverText ?? `The upload failed (${xhr.status}).`;
      reject(new ApiError(xhr.status, code, text));
    });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
