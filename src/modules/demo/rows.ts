import type { schema } from '../../db/index.js';

/**
 * Rows exactly as the tables store them (Drizzle's select types, minus generated columns), so a schema
 * change that the generator doesn't follow fails type-checking rather than loading.
 */
export type PersonRow = typeof schema.people.$inferSelect;
export type TeamRow = typeof schema.teams.$inferSelect;
export type TeamMemberRow = typeof schema.teamMembers.$inferSelect;
export type CustomerRow = Omit<typeof schema.customers.$inferSelect, 'search'>;
export type IdentityRow = typeof schema.customerIdentities.$inferSelect;
export type ConversationRow = typeof schema.conversations.$inferSelect;
export type MessageRow = Omit<typeof schema.messages.$inferSelect, 'search'>;
export type EventRow = Omit<typeof schema.events.$inferSelect, 'txId'>;
export type TruthRow = typeof schema.generatedTruth.$inferSelect;
export type JobRow = typeof schema.jobs.$inferSelect;
export type SentimentRow = typeof schema.messageSentiments.$inferSelect;

export type StaffBatch = { people: PersonRow[]; teams: TeamRow[]; teamMembers: TeamMemberRow[] };
export type CustomerBatch = { customers: CustomerRow[]; identities: IdentityRow[] };
export type ConversationBatch = {
  conversations: ConversationRow[];
  messages: MessageRow[];
  /** Each customer message's sentiment and distress, as Steward reads it on arrival. */
  sentiments: SentimentRow[];
  events: EventRow[];
  truths: TruthRow[];
  /** The auto-close job of each conversation still solved at `now`, as Steward would have queued it. */
  jobs: JobRow[];
};

/** The first id the generator uses in each table is `base + 1`; the loader sets bases above existing rows. */
export type IdBases = {
  person: number;
  team: number;
  customer: number;
  identity: number;
  conversation: number;
  message: number;
  event: number;
  job: number;
};

export const zeroIdBases: IdBases = {
  person: 0,
  team: 0,
  customer: 0,
  identity: 0,
  conversation: 0,
  message: 0,
  event: 0,
  job: 0,
};
