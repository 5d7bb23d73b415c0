import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { conversations, messages } from './conversations.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  fromDriver(v) {
    return Buffer.isBuffer(v) ? v : Buffer.from(v);
  },
});

export const blobStatuses = ['writing', 'complete'] as const;

/**
 * Stored files (attachments, export archives) kept in the database, so every Steward process can serve them.
 * The content is split into chunks (256 KiB) so it is written and read as a stream, never whole in memory.
 * A blob stays `writing` until its last chunk is in; an interrupted write is deleted by a job.
 */
export const blobs = pgTable(
  'blobs',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    status: text('status', { enum: blobStatuses }).notNull().default('writing'),
    size: bigint('size', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const blobChunks = pgTable(
  'blob_chunks',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    blobId: bigint('blob_id', { mode: 'number' }).notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.blobId, t.seq] }),
    foreignKey({
      columns: [t.workspaceId, t.blobId],
      foreignColumns: [blobs.workspaceId, blobs.id],
    }).onDelete('cascade'),
  ],
);

export const attachmentStatuses = ['pending', 'attached', 'erased'] as const;
export type AttachmentStatus = (typeof attachmentStatuses)[number];

/**
 * A file uploaded by staff or received from a customer. `pending` until linked to a message (once);
 * `erased` when its content was removed (GDPR erasure): the row stays for the counts, without the file.
 * `contentType` is what the first bytes say (sniffed at upload), never what the sender claimed.
 */
export const attachments = pgTable(
  'attachments',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    status: text('status', { enum: attachmentStatuses }).notNull().default('pending'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    /** What the uploader claimed; kept for the record, never used to serve the file. */
    claimedType: text('claimed_type'),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256'),
    /** Where the content is: `db:<blob id>` or `dir:<file name>`; null once erased. */
    blobKey: text('blob_key'),
    uploadedById: bigint('uploaded_by_id', { mode: 'number' }),
    conversationId: bigint('conversation_id', { mode: 'number' }),
    messageId: bigint('message_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    attachedAt: timestamp('attached_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('attachments_message_idx').on(t.workspaceId, t.messageId),
    index('attachments_conversation_idx').on(t.workspaceId, t.conversationId),
    index('attachments_pending_idx').on(t.workspaceId, t.createdAt).where(sql`status = 'pending'`),
    foreignKey({
      columns: [t.workspaceId, t.uploadedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.messageId],
      foreignColumns: [messages.workspaceId, messages.id],
    }),
  ],
);
