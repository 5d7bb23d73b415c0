import { schema } from '../../db/index.js';
import { type CopyTable, copyTable } from './copy-format.js';

/** The tables a demo load writes, parents before children so every foreign key finds its row. */
export const loadTables = {
  people: copyTable(schema.people),
  teams: copyTable(schema.teams),
  teamMembers: copyTable(schema.teamMembers),
  customers: copyTable(schema.customers),
  identities: copyTable(schema.customerIdentities),
  conversations: copyTable(schema.conversations),
  messages: copyTable(schema.messages),
  sentiments: copyTable(schema.messageSentiments),
  // tx_id: the loading transaction's, from the column default.
  events: copyTable(schema.events, ['txId']),
  truths: copyTable(schema.generatedTruth),
  jobs: copyTable(schema.jobs),
} satisfies Record<string, CopyTable>;

export type TableKey = keyof typeof loadTables;
export const tableKeys = Object.keys(loadTables) as TableKey[];

/** Rows written per table. */
export type LoadCounts = Record<TableKey, number>;

export function zeroCounts(): LoadCounts {
  return Object.fromEntries(tableKeys.map((k) => [k, 0])) as LoadCounts;
}
