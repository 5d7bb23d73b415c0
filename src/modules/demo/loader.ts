import cliProgress from 'cli-progress';
import type { Table } from 'drizzle-orm';
import { type Database, schema } from '../../db/index.js';
import { batchSource } from './batch-source.js';
import { enterBulkMode } from './bulk-mode.js';
import { copyTable } from './copy-format.js';
import type { EncodedBatch, PlanInput } from './encode-batches.js';
import { customerCountFor } from './generator.js';
import type { IdBases } from './rows.js';
import { withSink } from './sinks.js';
import { type LoadCounts, loadTables, tableKeys, zeroCounts } from './tables.js';

/** Tables whose `id` identity sequence the loader bypasses by writing ids itself. */
const idTables: Record<keyof IdBases, Table> = {
  person: schema.people,
  team: schema.teams,
  customer: schema.customers,
  identity: schema.customerIdentities,
  conversation: schema.conversations,
  message: schema.messages,
  event: schema.events,
  job: schema.jobs,
};

/**
 * Where the generator's ids start: above every id in the table (all workspaces share one sequence) and
 * above every value the sequence has handed out. Nothing else should write these tables during a load.
 */
export async function currentIdBases(database: Database): Promise<IdBases> {
  return withSink(database, async (sink) => {
    const bases = {} as IdBases;
    for (const [key, table] of Object.entries(idTables) as [keyof IdBases, Table][]) {
      const name = copyTable(table).name;
      const [seq] = await sink.query<{ seq: string }>(`select pg_get_serial_sequence($1, 'id') as seq`, [
        name,
      ]);
      const [row] = await sink.query<{ max: number | null; last: number | null }>(
        `select (select max(id) from ${name}) as max,
                (select case when is_called then last_value end from ${seq?.seq}) as last`,
      );
      bases[key] = Math.max(Number(row?.max ?? 0), Number(row?.last ?? 0));
    }
    return bases;
  });
}

type Progress = { start(total: number, phase: string): void; add(n: number): void; stop(): void };

/** A progress bar on stderr, only when a person is watching (a terminal) and not asked to be quiet. */
function progress(quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { start() {}, add() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, phase) {
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${phase.padEnd(13)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          etaBuffer: 50,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    add: (n) => bar?.increment(n),
    stop: () => bar?.stop(),
  };
}

export type LoadOptions = {
  quiet?: boolean;
  /** Generate on a worker thread while this one writes; default: from 20,000 conversations on. */
  worker?: boolean;
};

/**
 * Generates and writes the demo data in one transaction (see bulk-mode.ts for empty databases), then moves
 * the id sequences past the new rows and refreshes the planner's statistics.
 */
export async function loadDemo(
  database: Database,
  input: PlanInput,
  options: LoadOptions = {},
): Promise<LoadCounts> {
  const counts = zeroCounts();
  const bar = progress(options.quiet ?? false);
  const totals = { customers: customerCountFor(input.conversations), conversations: input.conversations };
  const source = batchSource(input, options.worker ?? input.conversations >= 20_000);
  await withSink(database, async (sink) => {
    const bulk = await enterBulkMode(
      sink,
      tableKeys.map((k) => loadTables[k].name),
    );
    let phase: EncodedBatch['phase'] = 'staff';
    for await (const batch of source) {
      if (batch.phase !== phase) {
        bar.stop();
        phase = batch.phase;
        if (phase !== 'staff') bar.start(totals[phase], phase);
      }
      for (const key of tableKeys) {
        const text = batch.text[key];
        if (!text) continue;
        await sink.copy(loadTables[key], text);
        counts[key] += batch.rows[key] ?? 0;
      }
      bar.add(batch.units);
    }
    bar.stop();
    if (bulk.fast) {
      bar.start(bulk.statements, 'indexes');
      await bulk.restore(() => bar.add(1));
      bar.stop();
    }
    for (const table of Object.values(idTables)) {
      const name = copyTable(table).name;
      await sink.query(
        `select setval(pg_get_serial_sequence($1, 'id'), max(id)) from ${name} having max(id) is not null`,
        [name],
      );
    }
  });
  // Fresh statistics, so the first queries on the new data get sensible plans.
  await withSink(database, async (sink) => {
    for (const key of tableKeys) await sink.query(`analyze ${loadTables[key].name}`);
  });
  return counts;
}
