import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Channel } from './conversations.js';
import { conversations } from './conversations.js';
import { workspaces } from './workspaces.js';

/** Which questions a follow-up survey asks. "Is it fixed?" is always asked. */
export type SurveyQuestions = { csat: boolean; ces: boolean; nps: boolean; comment: boolean };

/** A different set of questions for a channel, a customer tier, or both (all given fields must match). */
export type SurveyOverride = { channel?: Channel; tier?: string; questions: Partial<SurveyQuestions> };

/**
 * The follow-up after resolution, per workspace (no row: switched off). Minutes are calendar time: the
 * check-in goes `delay_minutes` after the conversation is solved, one reminder `reminder_minutes` after
 * that (null: none), and the survey can be answered until `expire_minutes` after the check-in.
 */
export const surveySettings = pgTable('survey_settings', {
  workspaceId: bigint('workspace_id', { mode: 'number' })
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(false),
  delayMinutes: integer('delay_minutes').notNull().default(2880),
  reminderMinutes: integer('reminder_minutes').default(1440),
  expireMinutes: integer('expire_minutes').notNull().default(10080),
  /** A customer is not surveyed more than once in this many days. */
  fatigueDays: integer('fatigue_days').notNull().default(30),
  questions: jsonb('questions')
    .$type<SurveyQuestions>()
    .notNull()
    .default(sql`'{"csat":true,"ces":true,"nps":false,"comment":true}'::jsonb`),
  overrides: jsonb('overrides').$type<SurveyOverride[]>().notNull().default(sql`'[]'::jsonb`),
  reopenOnNotFixed: boolean('reopen_on_not_fixed').notNull().default(true),
  /** A CSAT at or below this reopens the conversation; null: scores never reopen. */
  reopenAtOrBelowCsat: smallint('reopen_at_or_below_csat').default(2),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const surveyStatuses = ['scheduled', 'sent', 'reminded', 'answered', 'expired', 'skipped'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];
export const surveySkipReasons = [
  'fatigue',
  'reopened',
  'closed',
  'merged',
  'spam',
  'channel_unsupported',
  'no_public_url',
  'disabled',
] as const;
export type SurveySkipReason = (typeof surveySkipReasons)[number];

/**
 * One follow-up of one solve of a conversation. The agent, team and channel are those of the conversation
 * when it was solved (who the answer is about). The one-click link's token is never stored: it is an HMAC of
 * the instance key over the survey and `token_nonce`, and only its SHA-256 (`token_hash`) is looked up.
 */
export const surveys = pgTable(
  'surveys',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    agentId: bigint('agent_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    channel: text('channel').$type<Channel>().notNull(),
    questions: jsonb('questions').$type<SurveyQuestions>().notNull(),
    status: text('status', { enum: surveyStatuses }).notNull(),
    skipReason: text('skip_reason', { enum: surveySkipReasons }),
    tokenNonce: text('token_nonce'),
    tokenHash: text('token_hash'),
    solvedAt: timestamp('solved_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** Set when an answer reopened the conversation (once per survey). */
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('surveys_token_hash_idx').on(t.tokenHash),
    index('surveys_conversation_idx').on(t.workspaceId, t.conversationId, t.id),
    index('surveys_customer_idx').on(t.workspaceId, t.customerId, t.dueAt),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
  ],
);

/** How the answer came: the link's page, or a reply on the conversation's channel. */
export const surveyAnswerSources = ['link', 'email', 'chat', 'sms', 'whatsapp', 'social'] as const;
export type SurveyAnswerSource = (typeof surveyAnswerSources)[number];

/**
 * The answers to one survey, kept per conversation, agent, team, channel and customer for the figures, and
 * the comment for the voice of the customer. Answers given later (the scores after "not fixed") fill it in.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    surveyId: bigint('survey_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    agentId: bigint('agent_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    channel: text('channel').$type<Channel>().notNull(),
    fixed: boolean('fixed'),
    csat: smallint('csat'),
    ces: smallint('ces'),
    nps: smallint('nps'),
    comment: text('comment'),
    source: text('source', { enum: surveyAnswerSources }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.surveyId] }),
    index('survey_responses_answered_idx').on(t.workspaceId, t.answeredAt),
    foreignKey({
      columns: [t.workspaceId, t.surveyId],
      foreignColumns: [surveys.workspaceId, surveys.id],
    }).onDelete('cascade'),
    check('survey_responses_csat_range', sql`${t.csat} between 1 and 5`),
    check('survey_responses_ces_range', sql`${t.ces} between 1 and 7`),
    check('survey_responses_nps_range', sql`${t.nps} between 0 and 10`),
  ],
);
