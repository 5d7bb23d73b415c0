import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { customers } from './customers.js';
import { teams } from './people.js';
import { workspaces } from './workspaces.js';

const workspaceId = () =>
  bigint('workspace_id', { mode: 'number' })
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/**
 * A contact form customers fill in on Steward's hosted page (or the same page framed on the workspace's own
 * site). Found by its random public key alone, so the key is unique across workspaces.
 */
export const contactForms = pgTable(
  'contact_forms',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    publicKey: text('public_key').notNull(),
    name: text('name').notNull(),
    intro: text('intro').notNull().default(''),
    teamId: bigint('team_id', { mode: 'number' }),
    askPhone: boolean('ask_phone').notNull().default(false),
    allowAttachments: boolean('allow_attachments').notNull().default(true),
    /** Origins (scheme://host[:port]) whose pages may frame the form or post to it. */
    allowedOrigins: text('allowed_origins').array().notNull().default([]),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('contact_forms_public_key_key').on(t.publicKey),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
  ],
);

/** A magic sign-in link of the customer portal: its secret minted when the mail goes out, stored as SHA-256. */
export const portalLinks = pgTable(
  'portal_links',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    email: text('email').notNull(),
    tokenHash: text('token_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('portal_links_token_hash_key').on(t.tokenHash),
    index('portal_links_customer_idx').on(t.workspaceId, t.customerId, t.createdAt),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }).onDelete('cascade'),
  ],
);

/** A customer's portal session (its own cookie, never an agent's): only the SHA-256 of the secret is kept. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('portal_sessions_token_hash_key').on(t.tokenHash),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }).onDelete('cascade'),
  ],
);

/** "What would make this right?": the solution a customer proposes on a conversation, shown to agents. */
export const conversationProposals = pgTable(
  'conversation_proposals',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('conversation_proposals_conversation_idx').on(t.workspaceId, t.conversationId, t.createdAt),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }).onDelete('cascade'),
  ],
);
