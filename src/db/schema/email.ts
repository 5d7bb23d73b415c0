import {
  bigint,
  boolean,
  customType,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { teams } from './people.js';
import { workspaces } from './workspaces.js';

const workspaceId = () =>
  bigint('workspace_id', { mode: 'number' })
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/** PGlite hands bytea back as a Uint8Array, node-postgres as a Buffer: always a Buffer here. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * A support address of a workspace: mail to it becomes conversations, replies go out from it. The address
 * belongs to one workspace on the whole instance (the SMTP server routes by it).
 */
export const mailboxes = pgTable(
  'mailboxes',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    /** Lower-cased. */
    address: text('address').notNull(),
    /** The display name of the From header. */
    name: text('name').notNull(),
    /** New conversations from this mailbox go to this team (and its calendar answers the acknowledgement). */
    teamId: bigint('team_id', { mode: 'number' }),
    /** Replies of a conversation that names no mailbox go out from the default one. */
    isDefault: boolean('is_default').notNull().default(false),
    /** SHA-256 of the secret that authenticates raw mail posted over HTTP. */
    inboundSecretHash: text('inbound_secret_hash').notNull(),
    acknowledge: boolean('acknowledge').notNull().default(false),
    /** Added under every reply; `{{agent}}` and `{{team}}` are filled in. */
    signature: text('signature').notNull().default(''),
    /** List the conversation's open promises (and their due dates) under every reply. */
    promiseFooter: boolean('promise_footer').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('mailboxes_address_key').on(t.address),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
  ],
);

/** Senders whose mail is refused: an address, or a whole domain as `@example.com`. */
export const emailBlockedSenders = pgTable(
  'email_blocked_senders',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    pattern: text('pattern').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('email_blocked_senders_key').on(t.workspaceId, t.pattern),
  ],
);

/**
 * Mail an upstream filter flagged as spam: kept aside (raw, as received) instead of reaching the inbox,
 * until someone releases it (then it is received as any mail) or deletes it.
 */
export const emailSpam = pgTable(
  'email_spam',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    mailboxId: bigint('mailbox_id', { mode: 'number' }).notNull(),
    /** The Message-ID (or content hash): the same spam delivered twice is kept once. */
    externalId: text('external_id').notNull(),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull(),
    size: integer('size').notNull(),
    raw: bytea('raw').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('email_spam_external_id_key').on(t.workspaceId, t.externalId),
    foreignKey({
      columns: [t.workspaceId, t.mailboxId],
      foreignColumns: [mailboxes.workspaceId, mailboxes.id],
    }).onDelete('cascade'),
  ],
);

/**
 * IMAP polling of a mailbox Steward does not receive directly (an existing Gmail, Exchange or hosted
 * inbox). One row per mailbox. The password is sealed (AES-256-GCM with the instance's secret key), never
 * returned by the API and never exported. `pollingUntil` is a lease: one poll of a mailbox at a time, across
 * processes; a crashed poller's lease runs out.
 */
export const mailboxImap = pgTable(
  'mailbox_imap',
  {
    workspaceId: workspaceId(),
    mailboxId: bigint('mailbox_id', { mode: 'number' }).notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    /** `tls`: TLS from the first byte (993); `starttls`: upgraded (143); `none`: loopback/test servers only. */
    security: text('security', { enum: ['tls', 'starttls', 'none'] }).notNull(),
    username: text('username').notNull(),
    passwordSealed: text('password_sealed').notNull(),
    folders: text('folders').array().notNull(),
    /** What happens to a fetched message on the server, after it is committed here. */
    afterFetch: text('after_fetch', { enum: ['keep', 'seen', 'delete'] }).notNull(),
    pollSeconds: integer('poll_seconds').notNull(),
    enabled: boolean('enabled').notNull(),
    pollingUntil: timestamp('polling_until', { withTimezone: true }),
    lastPollAt: timestamp('last_poll_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    /** Messages taken in (stored or recognised as already stored) since the settings were saved. */
    fetched: integer('fetched').notNull().default(0),
    /** Messages skipped for good (broken, too large, blocked sender): left on the server, untouched. */
    skipped: integer('skipped').notNull().default(0),
    /** The last one skipped and why. */
    lastSkipped: text('last_skipped'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.mailboxId] }),
    foreignKey({
      columns: [t.workspaceId, t.mailboxId],
      foreignColumns: [mailboxes.workspaceId, mailboxes.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Where polling stands in one folder: the UIDVALIDITY seen and the highest UID taken in. A new UIDVALIDITY
 * (the server renumbered the folder) starts the folder over; Message-ID deduplication keeps that harmless.
 */
export const mailboxImapFolders = pgTable(
  'mailbox_imap_folders',
  {
    workspaceId: workspaceId(),
    mailboxId: bigint('mailbox_id', { mode: 'number' }).notNull(),
    folder: text('folder').notNull(),
    /** UIDVALIDITY is an unsigned 32-bit number: kept as text to stay exact. */
    uidValidity: text('uid_validity').notNull(),
    lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.mailboxId, t.folder] }),
    foreignKey({
      columns: [t.workspaceId, t.mailboxId],
      foreignColumns: [mailboxImap.workspaceId, mailboxImap.mailboxId],
    }).onDelete('cascade'),
  ],
);
