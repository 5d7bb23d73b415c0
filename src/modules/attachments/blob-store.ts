import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { and, asc, eq, gt } from 'drizzle-orm';
import { type Db, type Executor, schema, type Tx } from '../../db/index.js';
import { enqueueJob, fail, type JobHandler, ok, type Result } from '../../platform/index.js';

/** Rows of this size: big enough to keep row overhead small, small enough to stream in and out. */
export const CHUNK_BYTES = 256 * 1024;
/** How many leading bytes are kept for content sniffing (what file-type reads). */
export const HEAD_BYTES = 4100;
/** A write that never finished (a crash mid-upload) is removed after this long. */
const INCOMPLETE_PURGE_MS = 24 * 60 * 60_000;
export const PURGE_INCOMPLETE_BLOB_JOB = 'blobs.purge_incomplete';

export type StoredBlob = {
  /** `db:<blob id>` or `dir:<file name>`: which backend holds it, so both can be read after a change of config. */
  key: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the content type. */
  head: Buffer;
};

/**
 * Where file content lives: the database (default; every Steward process sees it) or a directory
 * (STEWARD_ATTACHMENTS_DIR; shared storage is then the operator's job). Writes stream from an async iterable
 * and never hold the whole file; a write that fails or exceeds `maxBytes` leaves nothing behind.
 */
export type BlobStore = {
  kind: 'database' | 'directory';
  put(
    workspaceId: number,
    source: AsyncIterable<Uint8Array>,
    options: { maxBytes: number; now: Date },
  ): Promise<Result<StoredBlob>>;
  /** The content as a stream; undefined when it is not (or no longer) there. */
  open(workspaceId: number, key: string): Promise<Readable | undefined>;
  /** Deletes database content in the caller's transaction; returns what must be removed after commit. */
  removeInTx(tx: Executor, workspaceId: number, key: string): Promise<string | undefined>;
  /** Removes directory content (after the transaction that forgot it has committed). Never throws. */
  removeFiles(workspaceId: number, keys: Array<string | undefined>): Promise<void>;
};

const tooLarge = (maxBytes: number) =>
  fail('ATTACHMENT_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes`, { maxBytes });

/** Counts, hashes and keeps the head of what passes through. */
function meter() {
  const hash = createHash('sha256');
  const headParts: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  return {
    add(piece: Buffer) {
      hash.update(piece);
      size += piece.length;
      if (headSize < HEAD_BYTES) {
        const part = piece.subarray(0, HEAD_BYTES - headSize);
        headParts.push(Buffer.from(part));
        headSize += part.length;
      }
    },
    get size() {
      return size;
    },
    done: () => ({ size, sha256: hash.digest('hex'), head: Buffer.concat(headParts) }),
  };
}

function databaseBackend(db: Db): Pick<BlobStore, 'put' | 'open'> {
  const b = schema.blobs;
  const c = schema.blobChunks;
  return {
    async put(workspaceId, source, { maxBytes, now }) {
      // The blob row and the job that would remove it if this write never finishes, in one transaction.
      const blobId = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(b)
          .values({ workspaceId, status: 'writing', createdAt: now })
          .returning({ id: b.id });
        await enqueueJob(
          tx,
          {
            workspaceId,
            type: PURGE_INCOMPLETE_BLOB_JOB,
            payload: { blobId: row!.id },
            runAt: new Date(now.getTime() + INCOMPLETE_PURGE_MS),
          },
          now,
        );
        return row!.id;
      });
      const m = meter();
      let pending: Buffer[] = [];
      let pendingSize = 0;
      let seq = 0;
      const flush = async (all: boolean) => {
        let buffer = Buffer.concat(pending);
        while (buffer.length >= CHUNK_BYTES || (all && buffer.length > 0)) {
          const data = buffer.subarray(0, CHUNK_BYTES);
          await db.insert(c).values({ workspaceId, blobId, seq: seq++, data });
          buffer = buffer.subarray(data.length);
        }
        pending = buffer.length > 0 ? [buffer] : [];
        pendingSize = buffer.length;
      };
      const discard = () => db.delete(b).where(and(eq(b.workspaceId, workspaceId), eq(b.id, blobId)));
      try {
        for await (const raw of source) {
          const piece = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
          m.add(piece);
          if (m.size > maxBytes) {
            await discard();
            return tooLarge(maxBytes);
          }
          pending.push(piece);
          pendingSize += piece.length;
          if (pendingSize >= CHUNK_BYTES) await flush(false);
        }
        await flush(true);
        const done = m.done();
        await db
          .update(b)
          .set({ status: 'complete', size: done.size })
          .where(and(eq(b.workspaceId, workspaceId), eq(b.id, blobId)));
        return ok({ key: `db:${blobId}`, ...done });
      } catch (err) {
        await discard().catch(() => {});
        throw err;
      }
    },
    async open(workspaceId, key) {
      const blobId = Number(key.slice(3));
      const [row] = await db
        .select({ status: b.status })
        .from(b)
        .where(and(eq(b.workspaceId, workspaceId), eq(b.id, blobId)));
      if (row?.status !== 'complete') return undefined;
      async function* chunks() {
        let after = -1;
        for (;;) {
          // A few chunks per query: about 1 MiB in memory at a time, however large the file.
          const rows = await db
            .select({ seq: c.seq, data: c.data })
            .from(c)
            .where(and(eq(c.workspaceId, workspaceId), eq(c.blobId, blobId), gt(c.seq, after)))
            .orderBy(asc(c.seq))
            .limit(4);
          for (const r of rows) yield r.data;
          if (rows.length < 4) return;
          after = rows[rows.length - 1]!.seq;
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    },
  };
}

async function writeAll(out: WriteStream, piece: Buffer): Promise<void> {
  if (out.write(piece)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      out.off('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

/** Safe names only: a key read back from the database never walks out of the directory. */
const fileName = (key: string) => (/^dir:[0-9a-f-]{36}$/.test(key) ? key.slice(4) : undefined);

function directoryBackend(dir: string): Pick<BlobStore, 'put' | 'open'> {
  const tmpDir = join(dir, '.tmp');
  return {
    async put(workspaceId, source, { maxBytes }) {
      const name = randomUUID();
      const finalDir = join(dir, String(workspaceId));
      await mkdir(tmpDir, { recursive: true });
      await mkdir(finalDir, { recursive: true });
      const tmp = join(tmpDir, `${name}.part`);
      const out = createWriteStream(tmp, { flags: 'wx' });
      const m = meter();
      const closed = new Promise<void>((resolve, reject) => {
        out.once('close', resolve);
        out.once('error', reject);
      });
      try {
        for await (const raw of source) {
          const piece = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
          m.add(piece);
          if (m.size > maxBytes) {
            out.destroy();
            await closed.catch(() => {});
            await rm(tmp, { force: true });
            return tooLarge(maxBytes);
          }
          await writeAll(out, piece);
        }
        out.end();
        await closed;
        // Written in full under a temporary name, then renamed: a reader never sees half a file.
        await rename(tmp, join(finalDir, name));
        return ok({ key: `dir:${name}`, ...m.done() });
      } catch (err) {
        out.destroy();
        await closed.catch(() => {});
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async open(workspaceId, key) {
      const name = fileName(key);
      if (!name) return undefined;
      const path = join(dir, String(workspaceId), name);
      try {
        await stat(path);
      } catch {
        return undefined;
      }
      return createReadStream(path, { highWaterMark: CHUNK_BYTES });
    },
  };
}

/** Deletes database content in the caller's transaction; returns a directory key to remove after commit. */
export async function removeBlobInTx(
  tx: Executor,
  workspaceId: number,
  key: string,
): Promise<string | undefined> {
  if (key.startsWith('db:')) {
    await tx
      .delete(schema.blobs)
      .where(and(eq(schema.blobs.workspaceId, workspaceId), eq(schema.blobs.id, Number(key.slice(3)))));
    return undefined;
  }
  return key;
}

export async function removeBlobFiles(
  dir: string | undefined,
  workspaceId: number,
  keys: Array<string | undefined>,
): Promise<void> {
  if (!dir) return;
  for (const key of keys) {
    const name = key ? fileName(key) : undefined;
    if (name) await rm(join(dir, String(workspaceId), name), { force: true }).catch(() => {});
  }
}

export function createBlobStore(db: Db, dir: string | undefined): BlobStore {
  const database = databaseBackend(db);
  const directory = dir ? directoryBackend(dir) : undefined;
  return {
    kind: directory ? 'directory' : 'database',
    put: (workspaceId, source, options) => (directory ?? database).put(workspaceId, source, options),
    async open(workspaceId, key) {
      if (key.startsWith('db:')) return database.open(workspaceId, key);
      if (key.startsWith('dir:') && directory) return directory.open(workspaceId, key);
      return undefined;
    },
    removeInTx: removeBlobInTx,
    removeFiles: (workspaceId, keys) => removeBlobFiles(dir, workspaceId, keys),
  };
}

/** Removes a database blob whose write never finished (the process died mid-upload). */
export const purgeIncompleteBlobHandler: JobHandler = {
  kind: 'db',
  async run(tx: Tx, job) {
    const blobId = Number(job.payload.blobId);
    await tx
      .delete(schema.blobs)
      .where(
        and(
          eq(schema.blobs.workspaceId, job.workspaceId),
          eq(schema.blobs.id, blobId),
          eq(schema.blobs.status, 'writing'),
        ),
      );
  },
};
