import { Readable } from 'node:stream';
import yazl from 'yazl';
import {
  type AppSettings,
  type Deps,
  enqueueJob,
  fail,
  inTransaction,
  type JobHandler,
  ok,
  type Result,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import { blobStoreOf, createBlobStore } from '../attachments/index.js';
import {
  type ExportTable,
  estimateRows,
  exportPage,
  exportTables,
  findExport,
  insertExport,
  updateExport,
  type WorkspaceExport,
} from './export.repo.js';

export const EXPORT_JOB = 'datacare.export';
export const EXPORT_PURGE_JOB = 'datacare.export_purge';
/** Version of the archive layout (docs/EXPORT.md). */
export const EXPORT_FORMAT_VERSION = 1;
const PAGE = 500;
const DAY_MS = 24 * 60 * 60_000;

export async function requestExport(
  deps: Deps,
  workspaceId: number,
  personId: number,
): Promise<Result<WorkspaceExport>> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const row = await insertExport(tx, {
      workspaceId,
      status: 'queued',
      requestedById: personId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.exportKeepDays * DAY_MS),
    });
    await recordEvent(tx, {
      workspaceId,
      type: 'export.requested',
      entityType: 'export',
      entityId: row.id,
      actor: { type: 'person', id: personId },
      at: now,
    });
    await enqueueJob(tx, { workspaceId, type: EXPORT_JOB, payload: { exportId: row.id }, runAt: now }, now);
    return ok(row);
  });
}

const fileOf: Record<ExportTable, string> = {
  people: 'people.jsonl',
  teams: 'teams.jsonl',
  customers: 'customers.jsonl',
  conversations: 'conversations.jsonl',
  messages: 'messages.jsonl',
  events: 'events.jsonl',
  attachments: 'attachments.jsonl',
  mailboxes: 'mailboxes.jsonl',
  messaging_bridges: 'messaging_bridges.jsonl',
  commitments: 'commitments.jsonl',
  matters: 'matters.jsonl',
  contacts: 'contacts.jsonl',
};

/** snake_case columns to the API's camelCase keys. */
const camel = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]),
  );

/**
 * Rows written against the expected total. The total may be the planner's estimate (large workspaces), which
 * can be lower than the rows there are: it grows with the rows written, so progress never passes 100 %.
 */
export function exportProgress(estimatedTotal: number) {
  let rowsDone = 0;
  let rowsTotal = Math.max(0, estimatedTotal);
  const now = () => ({ rowsDone, rowsTotal });
  return {
    now,
    add(rows: number) {
      rowsDone += rows;
      rowsTotal = Math.max(rowsTotal, rowsDone);
      return now();
    },
  };
}

/**
 * Builds the archive: a zip (yazl, streamed) of one JSON-lines file per table, read in keyset pages, the
 * attachment files under attachments/<id>/<filename>, and manifest.json. Streamed straight into the blob
 * store, so neither a table nor the archive is ever whole in memory; progress is written as pages go.
 */
async function buildExport(deps: Pick<Deps, 'db' | 'settings' | 'clock'>, job: WorkspaceExport) {
  const { db } = deps;
  const workspaceId = job.workspaceId;
  const store = createBlobStore(db, deps.settings.attachmentsDir);
  const { totals } = await estimateRows(db, workspaceId);
  const progress = exportProgress(Object.values(totals).reduce((a, b) => a + b, 0));
  await updateExport(db, workspaceId, job.id, { status: 'running', ...progress.now() });
  const counts = {} as Record<ExportTable, number>;
  const files: Array<{ id: number; filename: string; key: string }> = [];

  const zip = new yazl.ZipFile();
  const lines = (table: ExportTable) =>
    Readable.from(
      (async function* () {
        counts[table] = 0;
        let after = 0;
        for (;;) {
          const page = await exportPage(db, table, workspaceId, after, PAGE);
          if (page.length === 0) return;
          for (const row of page) {
            if (table !== 'attachments') continue;
            // Where the content is stays inside Steward; the archive carries the file itself.
            const key = row.blob_key as string | null;
            delete row.blob_key;
            if (row.status === 'attached' && key)
              files.push({ id: Number(row.id), filename: String(row.filename), key });
          }
          yield `${page.map((r) => JSON.stringify(camel(r))).join('\n')}\n`;
          after = Number(page[page.length - 1]!.id);
          counts[table] += page.length;
          await updateExport(db, workspaceId, job.id, progress.add(page.length));
        }
      })(),
    );
  const producer = (async () => {
    for (const table of Object.keys(exportTables) as ExportTable[]) {
      const stream = lines(table);
      zip.addReadStream(stream, fileOf[table]);
      await new Promise<void>((resolve, reject) => stream.once('end', resolve).once('error', reject));
    }
    // The file list came with attachments.jsonl; each file is opened only when the zip reaches it.
    for (const f of files) {
      const content = Readable.from(
        (async function* () {
          const stream = await store.open(workspaceId, f.key);
          if (stream) yield* stream;
        })(),
      );
      zip.addReadStream(content, `attachments/${f.id}/${f.filename}`);
    }
    const manifest = {
      format: 'steward-workspace-export',
      version: EXPORT_FORMAT_VERSION,
      workspaceId,
      exportId: job.id,
      createdAt: deps.clock.now().toISOString(),
      counts: { ...counts, attachmentFiles: files.length },
    };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
    zip.end();
  })();
  producer.catch((err) => (zip.outputStream as Readable).destroy(err));
  // An archive can be bigger than one attachment: its only bound is the disk or database.
  const blob = await store.put(workspaceId, zip.outputStream as AsyncIterable<Uint8Array>, {
    maxBytes: Number.MAX_SAFE_INTEGER,
    now: deps.clock.now(),
  });
  await producer;
  if (!blob.ok) throw new Error(blob.message);
  return { blob: blob.value, rowsDone: progress.now().rowsDone };
}

/** Runs an export (at least once: a retry starts over and replaces the partial archive). */
export const exportHandler = (settings: AppSettings): JobHandler => ({
  kind: 'external',
  async run(jobRow, ctx) {
    const workspaceId = jobRow.workspaceId;
    const exportId = Number(jobRow.payload.exportId);
    const deps = { db: ctx.db, settings, clock: ctx.clock };
    const row = await findExport(ctx.db, workspaceId, exportId);
    if (!row || row.status === 'done' || row.status === 'expired') return;
    try {
      const { blob, rowsDone } = await buildExport(deps, row);
      await inTransaction(ctx.db, async (tx) => {
        const now = ctx.clock.now();
        await updateExport(tx, workspaceId, exportId, {
          status: 'done',
          rowsDone,
          rowsTotal: rowsDone,
          size: blob.size,
          sha256: blob.sha256,
          blobKey: blob.key,
          finishedAt: now,
        });
        await recordEvent(tx, {
          workspaceId,
          type: 'export.completed',
          entityType: 'export',
          entityId: exportId,
          actor: systemActor,
          data: { size: blob.size, rows: rowsDone },
          at: now,
        });
        await enqueueJob(
          tx,
          { workspaceId, type: EXPORT_PURGE_JOB, payload: { exportId }, runAt: row.expiresAt },
          now,
        );
        return ok(null);
      });
    } catch (err) {
      await updateExport(ctx.db, workspaceId, exportId, {
        status: 'failed',
        error: String((err as Error).message ?? err).slice(0, 500),
        finishedAt: ctx.clock.now(),
      });
      ctx.log.error({ err, exportId }, 'export failed');
    }
  },
});

/** Deletes an expired export's archive; the row stays (status `expired`) as a record. */
export const exportPurgeHandler = (settings: AppSettings): JobHandler => ({
  kind: 'db',
  async run(tx, jobRow, ctx) {
    const workspaceId = jobRow.workspaceId;
    const exportId = Number(jobRow.payload.exportId);
    const row = await findExport(tx, workspaceId, exportId);
    if (!row?.blobKey) return;
    const store = createBlobStore(ctx.db, settings.attachmentsDir);
    const file = await store.removeInTx(tx, workspaceId, row.blobKey);
    await updateExport(tx, workspaceId, exportId, { status: 'expired', blobKey: null });
    await recordEvent(tx, {
      workspaceId,
      type: 'export.expired',
      entityType: 'export',
      entityId: exportId,
      actor: systemActor,
      at: ctx.clock.now(),
    });
    await store.removeFiles(workspaceId, [file]);
  },
});

export async function openExportDownload(
  deps: Deps,
  workspaceId: number,
  id: number,
): Promise<Result<{ export: WorkspaceExport; content: Readable }>> {
  const row = await findExport(deps.db, workspaceId, id);
  if (!row) return fail('EXPORT_NOT_FOUND', 'Export not found');
  if (row.status !== 'done' || !row.blobKey)
    return fail('EXPORT_NOT_READY', `The export is ${row.status}`, { status: row.status });
  const content = await blobStoreOf(deps).open(workspaceId, row.blobKey);
  if (!content) return fail('EXPORT_NOT_FOUND', 'Export not found');
  return ok({ export: row, content });
}
