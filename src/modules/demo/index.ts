import { count, eq } from 'drizzle-orm';
import { type Database, schema } from '../../db/index.js';
import { GENERATOR_VERSION } from './generator.js';
import { currentIdBases, loadDemo } from './loader.js';
import type { LoadCounts } from './tables.js';

export { corpusTexts, loadCorpus } from './corpus.js';
export {
  customerCountFor,
  type DemoOptions,
  type DemoPlan,
  GENERATOR_VERSION,
  planDemo,
} from './generator.js';
export { currentIdBases, type LoadOptions, loadDemo } from './loader.js';
export { type ContactReason, type Department, departments } from './reason-types.js';
export { findReason, reasonCatalogue } from './reasons.js';
export type {
  ConversationBatch,
  CustomerBatch,
  IdBases,
  StaffBatch,
} from './rows.js';
export { demoTaxonomyCsv, seedDemoTaxonomy } from './seed-taxonomy.js';
export type { LoadCounts } from './tables.js';

export type GenerateDemoOptions = {
  workspaceId: number;
  /** Same seed, same `conversations` and same `now`: the same rows. */
  seed?: number | string;
  conversations: number;
  /** The end of the 90-day window; defaults to the current time. */
  now?: Date;
  /** No progress bar (it is shown only on a terminal anyway). */
  quiet?: boolean;
  /** Conversations per COPY round (default 2000). */
  batchSize?: number;
  /** Generate on a worker thread while the main thread writes (default: from 20,000 conversations on). */
  worker?: boolean;
};

export type GenerateDemoResult = { counts: LoadCounts; seconds: number; generatorVersion: number };

/**
 * Fills one empty workspace with a realistic quarter of customer service: staff and teams, customers,
 * conversations with messages and events, and the ground truth (matter and reason) of every conversation.
 * Bulk-loaded in one transaction. Writes straight into tables other modules own: a bulk load of a fresh
 * workspace is the one place where going through each module's services would cost hours, not minutes.
 */
export async function generateDemoData(
  database: Database,
  options: GenerateDemoOptions,
): Promise<GenerateDemoResult> {
  const started = performance.now();
  const { workspaceId } = options;
  // People may exist (the first admin); anything the demo would collide with or mix into may not.
  for (const table of [schema.customers, schema.conversations, schema.teams]) {
    const [row] = await database.db
      .select({ n: count() })
      .from(table)
      .where(eq(table.workspaceId, workspaceId));
    if ((row?.n ?? 0) > 0) {
      throw new Error(
        `workspace ${workspaceId} already has customers, conversations or teams; demo data goes into an empty workspace`,
      );
    }
  }
  const people = await database.db
    .select({ email: schema.people.email })
    .from(schema.people)
    .where(eq(schema.people.workspaceId, workspaceId));
  const input = {
    seed: options.seed ?? 1,
    conversations: options.conversations,
    nowMs: (options.now ?? new Date()).getTime(),
    workspaceId,
    ids: await currentIdBases(database),
    reservedEmails: people.map((p) => p.email),
    batchSize: Math.max(1, options.batchSize ?? 2_000),
  };
  const counts = await loadDemo(database, input, {
    quiet: options.quiet ?? false,
    ...(options.worker === undefined ? {} : { worker: options.worker }),
  });
  return { counts, seconds: (performance.now() - started) / 1000, generatorVersion: GENERATOR_VERSION };
}
