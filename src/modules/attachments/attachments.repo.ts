import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const a = schema.attachments;
export type Attachment = typeof a.$inferSelect;

export async function insertAttachment(tx: Executor, values: typeof a.$inferInsert): Promise<Attachment> {
  const [row] = await tx.insert(a).values(values).returning();
  return row!;
}

export async function findAttachment(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Attachment | undefined> {
  const [row] = await db
    .select()
    .from(a)
    .where(and(eq(a.workspaceId, workspaceId), eq(a.id, id)));
  return row;
}

/** The named attachments of a workspace, row-locked for the caller's transaction. */
export async function lockAttachments(
  tx: Executor,
  workspaceId: number,
  ids: number[],
): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(a)
    .where(and(eq(a.workspaceId, workspaceId), inArray(a.id, ids)))
    .orderBy(asc(a.id))
    .for('update');
}

export async function setAttached(
  tx: Executor,
  workspaceId: number,
  ids: number[],
  link: { conversationId: number; messageId: number },
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(a)
    .set({
      status: 'attached',
      conversationId: link.conversationId,
      messageId: link.messageId,
      attachedAt: now,
    })
    .where(and(eq(a.workspaceId, workspaceId), inArray(a.id, ids), eq(a.status, 'pending')));
}

/** Deletes an attachment that is still pending; returns it when it was. */
export async function deletePending(
  tx: Executor,
  workspaceId: number,
  id: number,
): Promise<Attachment | undefined> {
  const [row] = await tx
    .delete(a)
    .where(and(eq(a.workspaceId, workspaceId), eq(a.id, id), eq(a.status, 'pending')))
    .returning();
  return row;
}

/** The attachments of these conversations that still have content. */
export async function liveAttachmentsOf(
  tx: Executor,
  workspaceId: number,
  conversationIds: number[],
): Promise<Attachment[]> {
  if (conversationIds.length === 0) return [];
  return tx
    .select()
    .from(a)
    .where(
      and(
        eq(a.workspaceId, workspaceId),
        inArray(a.conversationId, conversationIds),
        eq(a.status, 'attached'),
      ),
    )
    .for('update');
}

/** Keeps the row (size, type, dates: the counts) and forgets the name, hash and content. */
export async function markErased(tx: Executor, workspaceId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(a)
    .set({ status: 'erased', filename: 'erased', sha256: null, blobKey: null, claimedType: null })
    .where(and(eq(a.workspaceId, workspaceId), inArray(a.id, ids)));
}

/** One keyset page of a workspace's attachments by id (exports). */
export async function attachmentsPage(
  db: Executor,
  workspaceId: number,
  afterId: number,
  limit: number,
): Promise<Attachment[]> {
  return db
    .select()
    .from(a)
    .where(and(eq(a.workspaceId, workspaceId), gt(a.id, afterId)))
    .orderBy(asc(a.id))
    .limit(limit);
}
