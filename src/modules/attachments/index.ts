import type { AppSettings, JobHandler } from '../../platform/index.js';
import { PURGE_PENDING_ATTACHMENT_JOB, purgePendingHandler } from './attachments.service.js';
import { PURGE_INCOMPLETE_BLOB_JOB, purgeIncompleteBlobHandler } from './blob-store.js';

export { type Attachment, attachmentsPage } from './attachments.repo.js';
export { attachmentSchema, presentAttachment, registerAttachmentRoutes } from './attachments.routes.js';
export {
  type AttachmentClaimant,
  attachmentMeta,
  blobStoreOf,
  claimAttachments,
  eraseConversationAttachments,
  linkAttachments,
  MAX_ATTACHMENTS_PER_MESSAGE,
  type NewAttachment,
  openAttachment,
  PENDING_TTL_MS,
  PURGE_PENDING_ATTACHMENT_JOB,
  storeAttachment,
} from './attachments.service.js';
export { type BlobStore, CHUNK_BYTES, createBlobStore, type StoredBlob } from './blob-store.js';
export {
  contentDisposition,
  dispositionOf,
  safeFilename,
  servedType,
  sniffContentType,
} from './content-type.js';

/** The module's job handlers, by job type (collected by boot.ts). */
export function attachmentJobHandlers(
  settings: Pick<AppSettings, 'attachmentsDir'>,
): Record<string, JobHandler> {
  return {
    [PURGE_PENDING_ATTACHMENT_JOB]: purgePendingHandler(settings),
    [PURGE_INCOMPLETE_BLOB_JOB]: purgeIncompleteBlobHandler,
  };
}
