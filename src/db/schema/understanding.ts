import { sql } from 'drizzle-orm';
import { bigint, foreignKey, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';
import { messages } from './conversations.js';
import { people } from './people.js';

export const sentimentLabels = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

/**
 * What distress a customer's message shows (understanding module, `distress.ts`): anger, urgency, a threat to
 * leave, a legal or public threat, repeat-contact language ("third time", "still waiting"), high effort
 * ("nobody answers", "transferred").
 */
export const distressSignals = [
  'anger',
  'urgency',
  'churn_threat',
  'legal_threat',
  'repeat_contact',
  'high_effort',
] as const;
export type DistressSignal = (typeof distressSignals)[number];

/** Who gave a message its sentiment label: the lexicon (VADER), or an agent's correction. */
export const sentimentSources = ['lexicon', 'agent'] as const;
export type SentimentSource = (typeof sentimentSources)[number];

/**
 * The sentiment and distress of each inbound customer message, written when it arrives. `score` is the
 * lexicon's compound score (-1..1) and never changes; `label` is what the message is taken to be: the
 * lexicon's label until an agent corrects it (`source = 'agent'`, kept as a label to learn from), while
 * `lexicon_label` keeps the original. No words of the message are stored here: the phrases that show why are
 * found again in the message when asked for, so an erased message shows none.
 */
export const messageSentiments = pgTable(
  'message_sentiments',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    messageId: bigint('message_id', { mode: 'number' }).notNull(),
    score: real('score').notNull(),
    label: text('label', { enum: sentimentLabels }).notNull(),
    lexiconLabel: text('lexicon_label', { enum: sentimentLabels }).notNull(),
    source: text('source', { enum: sentimentSources }).notNull().default('lexicon'),
    signals: text('signals', { enum: distressSignals }).array().notNull().default(sql`'{}'::text[]`),
    correctedById: bigint('corrected_by_id', { mode: 'number' }),
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.messageId] }),
    foreignKey({
      columns: [t.workspaceId, t.messageId],
      foreignColumns: [messages.workspaceId, messages.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.correctedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);
