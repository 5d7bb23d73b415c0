import type { Sink } from './sinks.js';

/**
 * Loading into empty tables is several times faster without per-row foreign-key checks and index
 * maintenance (measured here: FK checks were about half of PostgreSQL's work on messages and events).
 * So when every table the load writes is empty (a fresh database, the benchmark's template), the loader,
 * inside its transaction, drops those tables' foreign keys and secondary indexes, and afterwards recreates
 * them from their own definitions (`pg_get_constraintdef`, `pg_get_indexdef`): same names, same
 * definitions, and the rebuild re-checks every foreign key and unique index over the loaded rows. Because
 * DDL is transactional, a failure leaves the schema as it was. Primary keys stay throughout. With any row
 * present the load goes the ordinary way, keeping other workspaces' data and running servers undisturbed.
 */
export type BulkMode = {
  fast: boolean;
  restore(onStatement?: () => void): Promise<void>;
  statements: number;
};

export async function enterBulkMode(sink: Sink, tables: readonly string[]): Promise<BulkMode> {
  const ordinary: BulkMode = { fast: false, statements: 0, restore: async () => {} };
  for (const table of tables) {
    const [row] = await sink.query<{ used: boolean }>(`select exists (select 1 from ${table}) as used`);
    if (row?.used) return ordinary;
  }
  const foreignKeys = await sink.query<{ tbl: string; name: string; def: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
       from pg_constraint
      where contype = 'f' and conrelid = any($1::regclass[])
      order by conrelid::regclass::text, conname`,
    [tables],
  );
  const indexes = await sink.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid = any($1::regclass[]) and not i.indisprimary
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by 1`,
    [tables],
  );
  for (const fk of foreignKeys) await sink.query(`alter table ${fk.tbl} drop constraint "${fk.name}"`);
  for (const index of indexes) await sink.query(`drop index ${index.name}`);
  return {
    fast: true,
    statements: foreignKeys.length + indexes.length,
    async restore(onStatement) {
      // Index builds sort in memory when they can; the default 64 MB spills 5M-row builds to disk.
      await sink.query(`set local maintenance_work_mem = '512MB'`);
      for (const index of indexes) {
        await sink.query(index.def);
        onStatement?.();
      }
      for (const fk of foreignKeys) {
        await sink.query(`alter table ${fk.tbl} add constraint "${fk.name}" ${fk.def}`);
        onStatement?.();
      }
    },
  };
}
