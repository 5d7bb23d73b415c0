import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.js';

const workspaceId = () =>
  bigint('workspace_id', { mode: 'number' })
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

export const availabilities = ['online', 'away', 'offline'] as const;
export type Availability = (typeof availabilities)[number];

export const people = pgTable(
  'people',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['agent', 'lead', 'manager', 'admin', 'executive'] }).notNull(),
    isOwner: boolean('is_owner').notNull().default(false),
    /** `invited`: added by an invitation not yet accepted; cannot sign in, be assigned or be mentioned. */
    status: text('status', { enum: ['active', 'deactivated', 'invited'] })
      .notNull()
      .default('active'),
    passwordHash: text('password_hash'),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    /**
     * Whether the person takes new work: routing assigns conversations only to people who are `online`.
     * Set by the person (or `offline` when they sign out of their last session, or are deactivated).
     */
    availability: text('availability', { enum: availabilities }).notNull().default('offline'),
    availabilityChangedAt: timestamp('availability_changed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('people_email_key').on(t.workspaceId, t.email),
  ],
);

export const teams = pgTable(
  'teams',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    leadId: bigint('lead_id', { mode: 'number' }),
    /** An outsourced vendor's team, compared on the same scorecard as in-house teams. */
    isVendor: boolean('is_vendor').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('teams_name_key').on(t.workspaceId, t.name),
    foreignKey({ columns: [t.workspaceId, t.leadId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: workspaceId(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.teamId, t.personId] }),
    index('team_members_person_idx').on(t.workspaceId, t.personId),
    foreignKey({
      columns: [t.workspaceId, t.teamId],
      foreignColumns: [teams.workspaceId, teams.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

/** Browser sessions. The cookie holds a random secret; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    tokenHash: text('token_hash').notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

/** API tokens: shown once, stored as SHA-256, scoped, revocable; never stronger than their creator. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, shown in lists so people can tell tokens apart. */
    prefix: text('prefix').notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

/**
 * Password reset requests. The one-time secret is minted by the mail job that sends the link and stored only
 * as SHA-256 (`token_hash` stays null until then). `password_fingerprint` is the SHA-256 of the password hash
 * when the reset was asked for: once the password changes by any path, every older link stops working.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    tokenHash: text('token_hash'),
    passwordFingerprint: text('password_fingerprint').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('password_resets_token_hash_key').on(t.tokenHash),
    index('password_resets_person_idx').on(t.workspaceId, t.personId, t.createdAt),
    foreignKey({
      columns: [t.workspaceId, t.personId],
      foreignColumns: [people.workspaceId, people.id],
    }).onDelete('cascade'),
  ],
);

/**
 * An invitation of a person in the `invited` state: one per person, its secret stored only as SHA-256 and
 * replaced at every (re)send, valid for 7 days from then.
 */
export const invitations = pgTable(
  'invitations',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    invitedById: bigint('invited_by_id', { mode: 'number' }),
    tokenHash: text('token_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When the current link was made (sent by mail, or handed to the admin). */
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('invitations_person_key').on(t.workspaceId, t.personId),
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    foreignKey({
      columns: [t.workspaceId, t.personId],
      foreignColumns: [people.workspaceId, people.id],
    }).onDelete('cascade'),
  ],
);
