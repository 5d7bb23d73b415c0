import { ApiError } from './client';

/** A message's attachment, as conversation reads list it. */
export type AttachmentRef = { id: number; filename: string; contentType: string; size: number };

/** Where the browser downloads an attachment (the API streams it, with the session cookie). */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

/** Types the API serves `inline`: only these may show as a thumbnail. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);
export const isInlineImage = (contentType: string) => INLINE_IMAGES.has(contentType);

const units = ['bytes', 'KB', 'MB', 'GB'];
/** "812 bytes", "14 KB", "3.2 MB". */
export function formatSize(bytes: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[unit]}`;
}

/** A refused upload; a too-large one says the limit. */
export class UploadError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly maxBytes?: number,
  ) {
    super(status, code, message);
  }
}

/** Upload failures in plain words. */
export function uploadMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The upload failed. Check your connection and try again.';
  switch (error.code) {
    case 'ATTACHMENT_TOO_LARGE':
      return error instanceof UploadError && error.maxBytes
        ? `Too large: files can be at most ${formatSize(error.maxBytes)}.`
        : 'Too large: this file is over the size limit for attachments.';
    case 'ABORTED':
      return 'The upload was stopped.';
    case 'NETWORK':
      return 'Steward cannot be reached, so the file was not uploaded. Try again.';
    case 'FORBIDDEN':
      return 'Your role does not allow attaching files.';
    default:
      return error.status === 413
        ? 'Too large: this file is over the size limit for attachments.'
        : `The upload failed: ${error.message}`;
  }
}

/**
 * POST /api/v1/attachments (multipart, one file): a pending upload, attached later by its id. XMLHttpRequest
 * rather than fetch, because only it reports upload progress.
 */
export function uploadAttachment(
  file: File,
  options: { csrfToken: string | null; onProgress(fraction: number): void; signal?: AbortSignal },
): Promise<AttachmentRef> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/attachments');
    if (options.csrfToken) xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const data = xhr.response as {
        attachment?: AttachmentRef;
        error?: { code: string; message: string; details?: { maxBytes?: number } };
      } | null;
      if (xhr.status === 201 && data?.attachment) {
        const { id, filename, contentType, size } = data.attachment;
        resolve({ id, filename, contentType, size });
        return;
      }
      const code = data?.error?.code ?? (xhr.status === 413 ? 'ATTACHMENT_TOO_LARGE' : `HTTP_${xhr.status}`);
      const message = data?.error?.message ?? `The server answered ${xhr.status}`;
      reject(new UploadError(xhr.status, code, message, data?.error?.details?.maxBytes));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'aborted'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
