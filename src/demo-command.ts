import { count, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { schema } from './db/index.js';
import { generateDemoData, seedDemoTaxonomy } from './modules/demo/index.js';
import { queueBackfill } from './modules/matters/index.js';
import { requestTraining } from './modules/understanding/index.js';
import { type Deps, skipEventsSoFar } from './platform/index.js';

/** Enough to look real in every view, small enough to load in seconds on the embedded database. */
export const DEMO_CONVERSATIONS = 3_000;

/**
 * Loads the demo data set into a workspace (npm run demo / npm start -- --demo). A workspace that already has
 * conversations is left alone, so `npm run demo` can be used for every start.
 */
export async function loadDemoData(deps: Deps, workspaceId: number, log: Logger): Promise<void> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(schema.conversations)
    .where(eq(schema.conversations.workspaceId, workspaceId));
  if ((row?.n ?? 0) > 0) {
    log.info({ workspaceId }, 'the workspace has conversations already: demo data not loaded again');
    return;
  }
  log.info({ workspaceId, conversations: DEMO_CONVERSATIONS }, 'loading demo data');
  const result = await generateDemoData(deps.database, {
    workspaceId,
    conversations: DEMO_CONVERSATIONS,
    seed: 1,
    now: deps.clock.now(),
    quiet: true,
  });
  const taxonomy = await seedDemoTaxonomy(deps, workspaceId);
  // A quarter of history is not news: event consumers (notifications, webhooks) start after it.
  await skipEventsSoFar(deps.db, deps.clock.now());
  // Its contacts and matters come from replaying that history, in the background (README "Matters").
  await queueBackfill(deps.db, workspaceId, deps.clock.now());
  // Its coded conversations are labels: the first reason model learns from them, then reads the open queue.
  await deps.db.transaction((tx) => requestTraining(tx, workspaceId, null, deps.clock.now()));
  log.info(
    { ...result.counts, ...taxonomy, seconds: Math.round(result.seconds * 10) / 10 },
    'demo data loaded',
  );
}
