import { encodeRows } from './copy-format.js';
import { planDemo } from './generator.js';
import type { IdBases } from './rows.js';
import { loadTables, type TableKey, tableKeys } from './tables.js';

/** Everything the generator needs, in a form that can cross to a worker thread. */
export type PlanInput = {
  seed: number | string;
  conversations: number;
  nowMs: number;
  workspaceId: number;
  ids: IdBases;
  reservedEmails: string[];
  batchSize: number;
};

/** One round of the load: COPY text per table, and how far it takes the progress bar. */
export type EncodedBatch = {
  phase: 'staff' | 'customers' | 'conversations';
  units: number;
  rows: Partial<Record<TableKey, number>>;
  text: Partial<Record<TableKey, string>>;
};

function encode(
  phase: EncodedBatch['phase'],
  units: number,
  batch: Partial<Record<TableKey, object[]>>,
): EncodedBatch {
  const out: EncodedBatch = { phase, units, rows: {}, text: {} };
  for (const key of tableKeys) {
    const rows = batch[key];
    if (!rows || rows.length === 0) continue;
    out.rows[key] = rows.length;
    out.text[key] = [...encodeRows(loadTables[key], rows)].join('');
  }
  return out;
}

/** The whole demo data set as COPY text, batch by batch: staff, then customers, then conversations. */
export function* encodedBatches(input: PlanInput): Generator<EncodedBatch> {
  const plan = planDemo({
    seed: input.seed,
    conversations: input.conversations,
    now: new Date(input.nowMs),
    workspaceId: input.workspaceId,
    ids: input.ids,
    reservedEmails: input.reservedEmails,
  });
  yield encode('staff', 0, plan.staff);
  for (const batch of plan.customerBatches(input.batchSize * 2)) {
    yield encode('customers', batch.customers.length, batch);
  }
  for (const batch of plan.conversationBatches(input.batchSize)) {
    yield encode('conversations', batch.conversations.length, batch);
  }
}
