import { AttachmentView, attachmentUrlOf } from '@app/contracts';

/** What a message stores of each attachment: enough to show it without another lookup. */
export interface AttachedFile {
  id: string;
  name: string;
  type: string;
  size: number;
}

export function toAttachmentView(file: AttachedFile): AttachmentView {
  return { id: file.id, name: file.name, type: file.type, size: file.size, url: attachmentUrlOf(file.id) };
}
