import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { conversations, messages } from './conversations.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

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

/**
 * How much each signal weighs in a conversation's distress level (what "most distressed" sorts by): a threat
 * to leave or to go to a lawyer or the press outweighs an "asap", so one such threat ranks above a lone
 * "still waiting".
 */
export const distressWeight: Record<DistressSignal, number> = {
  legal_threat: 3,
  churn_threat: 3,
  anger: 2,
  repeat_contact: 2,
  high_effort: 2,
  urgency: 1,
};

/** How distressed: the sum of the weights of the different signals shown (0: none). */
export const distressLevelOf = (signals: readonly DistressSignal[]): number =>
  [...new Set(signals)].reduce((sum, s) => sum + distressWeight[s], 0);

/**
 * Who gave a message its sentiment label: the lexicon (VADER), the workspace's sentiment model (learned from
 * agents' corrections, once it reads them better than the lexicon), or an agent's correction.
 */
export const sentimentSources = ['lexicon', 'model', 'agent'] as const;
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
    /** The agents' corrections, newest first: what a sentiment model learns from and counts since its last training. */
    index('message_sentiments_corrected_idx')
      .on(t.workspaceId, t.correctedAt.desc())
      .where(sql`source = 'agent'`),
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

/**
 * A contact-reason model's life: `training` while its job runs; `active` once validated (one per workspace:
 * new inbound conversations are predicted with it); `rejected` when its held-out accuracy fell short (the
 * previous model stays); `retired` when a newer one took over; `failed` when training broke.
 */
export const reasonModelStatuses = ['training', 'active', 'rejected', 'retired', 'failed'] as const;
export type ReasonModelStatus = (typeof reasonModelStatuses)[number];

/** One bin of a reliability table: predictions whose confidence fell in [from, to), and how often right. */
export type ReliabilityRow = {
  from: number;
  to: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
};

/** What a model measured on the held-out share of the workspace's labels it was not trained on. */
export type ReasonModelMetrics = {
  accuracy: number;
  macroF1: number;
  /** Expected calibration error over the reliability table's bins. */
  ece: number;
  reliability: ReliabilityRow[];
  /** Recall per reason id on the held-out share. */
  perReason: Array<{ reasonId: number; support: number; recall: number }>;
  /** Unlabelled conversations the kept model gave a reason itself and learned from (self-training). */
  selfLabelled?: number;
  /** Held-out conversations a person said no reason fits, and the share of them the model found so. */
  noneFits?: { support: number; recall: number };
};

/**
 * The workspace's contact-reason models, learned from its own labelled conversations (understanding module,
 * `reason-model/`): what each was trained on, what it measured on held-out labels, and the model itself
 * (`model`: the classifier's JSON form, kept while active or retired so it can be looked at and rolled back).
 */
export const reasonModels = pgTable(
  'reason_models',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    status: text('status', { enum: reasonModelStatuses }).notNull(),
    /** Who asked for it (null: Steward itself, when enough new labels arrived). */
    requestedById: bigint('requested_by_id', { mode: 'number' }),
    /** Labelled conversations it learned from, and how many of them were held out to measure it. */
    examples: integer('examples').notNull().default(0),
    heldOut: integer('held_out').notNull().default(0),
    reasons: integer('reasons').notNull().default(0),
    accuracy: real('accuracy'),
    ece: real('ece'),
    metrics: jsonb('metrics').$type<ReasonModelMetrics>(),
    /** Why it was rejected or failed. */
    note: text('note'),
    trainingMs: integer('training_ms'),
    model: jsonb('model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('reason_models_active_key').on(t.workspaceId).where(sql`status = 'active'`),
    index('reason_models_created_idx').on(t.workspaceId, t.createdAt.desc()),
    foreignKey({
      columns: [t.workspaceId, t.requestedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);

/** What a sentiment model measured on the held-out share of the agents' corrections. */
export type SentimentModelMetrics = {
  accuracy: number;
  /** The lexicon's own labels on the same held-out messages: what the model has to beat. */
  lexiconAccuracy: number;
  macroF1: number;
  ece: number;
  reliability: ReliabilityRow[];
  perLabel: Array<{ label: string; support: number; recall: number }>;
};

/**
 * The workspace's sentiment models (understanding module, `sentiment-model/`), learned from the labels agents
 * corrected, with the lexicon's scores as features beside the words. Statuses as a reason model's; a model
 * becomes active only when it reads its held-out messages better than the lexicon does.
 */
export const sentimentModels = pgTable(
  'sentiment_models',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    status: text('status', { enum: reasonModelStatuses }).notNull(),
    requestedById: bigint('requested_by_id', { mode: 'number' }),
    examples: integer('examples').notNull().default(0),
    heldOut: integer('held_out').notNull().default(0),
    accuracy: real('accuracy'),
    lexiconAccuracy: real('lexicon_accuracy'),
    ece: real('ece'),
    metrics: jsonb('metrics').$type<SentimentModelMetrics>(),
    note: text('note'),
    trainingMs: integer('training_ms'),
    model: jsonb('model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('sentiment_models_active_key').on(t.workspaceId).where(sql`status = 'active'`),
    index('sentiment_models_created_idx').on(t.workspaceId, t.createdAt.desc()),
    foreignKey({
      columns: [t.workspaceId, t.requestedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);

/**
 * The workspace's reason prediction (understanding module): above `apply_above` a prediction sets the reason
 * itself (marked as the model's, correctable), below it suggests the top three; and the labels set since the
 * last training (when enough new ones came, Steward trains the next model by itself).
 */
export const reasonLearning = pgTable('reason_learning', {
  workspaceId: bigint('workspace_id', { mode: 'number' })
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  applyAbove: real('apply_above').notNull().default(0.9),
  labelsSince: integer('labels_since').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** One reason with its calibrated probability. */
export type RankedReason = { reasonId: number; probability: number };

/**
 * What the active model predicted for a new inbound conversation, from the customer's first message: the
 * top three reasons, the confidence, "none of these" (out of scope), and whether it set the reason itself.
 */
export const reasonPredictions = pgTable(
  'reason_predictions',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    modelId: bigint('model_id', { mode: 'number' }).notNull(),
    ranked: jsonb('ranked').$type<RankedReason[]>().notNull(),
    confidence: real('confidence').notNull(),
    outOfScope: boolean('out_of_scope').notNull(),
    applied: boolean('applied').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
  ],
);
