import type { Readable } from 'node:stream';
import type { Tx } from '../../db/index.js';
import type { AttachmentMeta } from '../../db/schema/index.js';
import {
  type Actor,
  type AppSettings,
  type Deps,
  enqueueJob,
  fail,
  inTransaction,
  type JobHandler,
  ok,
  type Result,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import {
  type Attachment,
  deletePending,
  findAttachment,
  insertAttachment,
  liveAttachmentsOf,
  lockAttachments,
  markErased,
  setAttached,
} from './attachments.repo.js';
import { type BlobStore, createBlobStore, removeBlobFiles, removeBlobInTx } from './blob-store.js';
import { safeFilename, sniffContentType } from './content-type.js';

export const PURGE_PENDING_ATTACHMENT_JOB = 'attachments.purge_pending';
/** An upload never attached to a message is deleted after this long. */
export const PENDING_TTL_MS = 24 * 60 * 60_000;
/** Most attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 20;

/** The blob store the settings choose: the database, or STEWARD_ATTACHMENTS_DIR. */
export const blobStoreOf = (deps: Pick<Deps, 'db' | 'settings'>): BlobStore =>
  createBlobStore(deps.db, deps.settings.attachmentsDir);

export type NewAttachment = {
  filename: string | undefined;
  /** What the sender said it is: recorded, never believed. */
  claimedType?: string;
  source: AsyncIterable<Uint8Array>;
  /** The person who uploaded it; null for files received on a channel (e-mail, chat). */
  uploadedById: number | null;
  actor: Actor;
};

export const attachmentMeta = (x: Attachment): AttachmentMeta => ({
  id: x.id,
  filename: x.filename,
  contentType: x.contentType,
  size: x.size,
});

/**
 * Stores a file as a pending attachment: streamed into the blob store (never whole in memory), its type
 * sniffed from its first bytes, its SHA-256 taken on the way. Pending until a message links it (once); a
 * pending upload is purged after a day. Inbound channels (e-mail, chat) call this for each received file,
 * then pass the ids to addMessage as `attachmentIds`.
 */
export async function storeAttachment(
  deps: Deps,
  workspaceId: number,
  input: NewAttachment,
): Promise<Result<Attachment>> {
  const store = blobStoreOf(deps);
  const now = deps.clock.now();
  const blob = await store.put(workspaceId, input.source, {
    maxBytes: deps.settings.attachmentMaxBytes,
    now,
  });
  if (!blob.ok) return blob;
  const contentType = await sniffContentType(blob.value.head);
  try {
    return await inTransaction(deps.db, async (tx) => {
      const row = await insertAttachment(tx, {
        workspaceId,
        status: 'pending',
        filename: safeFilename(input.filename),
        contentType,
        claimedType: input.claimedType?.slice(0, 200) ?? null,
        size: blob.value.size,
        sha256: blob.value.sha256,
        blobKey: blob.value.key,
        uploadedById: input.uploadedById,
        createdAt: now,
      });
      await recordEvent(tx, {
        workspaceId,
        type: 'attachment.uploaded',
        entityType: 'attachment',
        entityId: row.id,
        actor: input.actor,
        data: { size: row.size, contentType, sha256: row.sha256 },
        at: now,
      });
      await enqueueJob(
        tx,
        {
          workspaceId,
          type: PURGE_PENDING_ATTACHMENT_JOB,
          payload: { attachmentId: row.id },
          runAt: new Date(now.getTime() + PENDING_TTL_MS),
        },
        now,
      );
      return ok(row);
    });
  } catch (err) {
    await store.removeInTx(deps.db, workspaceId, blob.value.key).then(
      (file) => store.removeFiles(workspaceId, [file]),
      () => {},
    );
    throw err;
  }
}

const notFound = () => fail('ATTACHMENT_NOT_FOUND', 'Attachment not found');

/**
 * An attachment and its content, for someone who may see it: an attached file goes with its conversation
 * (conversations.read, checked by the route); a pending one only to the person who uploaded it.
 */
export async function openAttachment(
  deps: Deps,
  workspaceId: number,
  id: number,
  viewerPersonId: number,
): Promise<Result<{ attachment: Attachment; content: Readable }>> {
  const attachment = await findAttachment(deps.db, workspaceId, id);
  if (!attachment || attachment.status === 'erased' || !attachment.blobKey) return notFound();
  if (attachment.status === 'pending' && attachment.uploadedById !== viewerPersonId) return notFound();
  const content = await blobStoreOf(deps).open(workspaceId, attachment.blobKey);
  if (!content) return notFound();
  return ok({ attachment, content });
}

/**
 * Who attaches files to a message: a person may attach only pending uploads of their own (another
 * colleague's pending upload is as unknown to them as a missing id); the system (channel intake) may attach
 * any pending file of the workspace, such as the ones it stored from a received e-mail.
 */
export type AttachmentClaimant = { personId: number } | 'system';

/**
 * Checks and locks the pending attachments a new message names (same workspace, uploaded by the claimant,
 * not yet attached, within the per-message total). A failure must roll back the caller's transaction.
 */
export async function claimAttachments(
  tx: Tx,
  settings: Pick<AppSettings, 'messageAttachmentsMaxBytes'>,
  workspaceId: number,
  ids: number[],
  claimant: AttachmentClaimant,
): Promise<Result<AttachmentMeta[]>> {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_ATTACHMENTS_PER_MESSAGE)
    return fail('VALIDATION_FAILED', `At most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`);
  const visible = (r: Attachment) =>
    claimant === 'system' || r.status !== 'pending' || r.uploadedById === claimant.personId;
  const rows = (await lockAttachments(tx, workspaceId, unique)).filter(visible);
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((x) => !found.has(x));
  if (missing.length > 0)
    return fail('ATTACHMENT_NOT_FOUND', 'Attachment not found', { attachmentIds: missing });
  const used = rows.filter((r) => r.status !== 'pending').map((r) => r.id);
  if (used.length > 0)
    return fail('ATTACHMENT_ALREADY_ATTACHED', 'An attachment can be attached to one message only', {
      attachmentIds: used,
    });
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  if (total > settings.messageAttachmentsMaxBytes)
    return fail(
      'ATTACHMENTS_TOO_LARGE',
      `The attachments of one message may total at most ${settings.messageAttachmentsMaxBytes} bytes`,
      { maxBytes: settings.messageAttachmentsMaxBytes, total },
    );
  const order = new Map(unique.map((x, i) => [x, i]));
  return ok(rows.sort((x, y) => order.get(x.id)! - order.get(y.id)!).map(attachmentMeta));
}

/** Links claimed attachments to the message that now carries them. */
export async function linkAttachments(
  tx: Tx,
  workspaceId: number,
  ids: number[],
  link: { conversationId: number; messageId: number },
  now: Date,
): Promise<void> {
  await setAttached(tx, workspaceId, [...new Set(ids)], link, now);
}

/**
 * Erasure: removes the content of every attachment of these conversations (database blobs in the
 * transaction); the rows stay with size and type. Returns the directory files to remove after commit.
 */
export async function eraseConversationAttachments(
  tx: Tx,
  store: BlobStore,
  workspaceId: number,
  conversationIds: number[],
): Promise<{ erasedIds: number[]; files: string[] }> {
  const rows = await liveAttachmentsOf(tx, workspaceId, conversationIds);
  const files: string[] = [];
  for (const r of rows) {
    const file = r.blobKey ? await store.removeInTx(tx, workspaceId, r.blobKey) : undefined;
    if (file) files.push(file);
  }
  await markErased(
    tx,
    workspaceId,
    rows.map((r) => r.id),
  );
  return { erasedIds: rows.map((r) => r.id), files };
}

export function purgePendingHandler(settings: Pick<AppSettings, 'attachmentsDir'>): JobHandler {
  return {
    kind: 'db',
    async run(tx: Tx, job, ctx) {
      const workspaceId = job.workspaceId;
      const row = await deletePending(tx, workspaceId, Number(job.payload.attachmentId));
      if (!row) return; // attached meanwhile: nothing to do
      const file = row.blobKey ? await removeBlobInTx(tx, workspaceId, row.blobKey) : undefined;
      await recordEvent(tx, {
        workspaceId,
        type: 'attachment.purged',
        entityType: 'attachment',
        entityId: row.id,
        actor: systemActor,
        data: { reason: 'never attached' },
        at: ctx.clock.now(),
      });
      await removeBlobFiles(settings.attachmentsDir, workspaceId, [file]);
    },
  };
}

export type { Attachment };
