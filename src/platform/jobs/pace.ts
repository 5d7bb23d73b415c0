import type { Executor } from '../../db/index.js';
import { enqueueJob, type JobRow } from './queue.js';

/**
 * Pacing of long background work (a walk over every conversation, a replay of a workspace's history): cut into
 * chunks of one transaction each, sized to take about `CHUNK_MS`, with the event loop free between them.
 *
 * PGlite runs every query on the event loop, and a loop of awaited queries resolves through microtasks only: it
 * would hold every request (even a health check) until the whole walk ends. A chunk there must stay near
 * 100 ms, and the walk must yield to the event loop between chunks. On PostgreSQL a longer chunk holds only
 * its own rows, and requests go on meanwhile.
 */
export const CHUNK_MS = { pglite: 100, postgres: 400 } as const;

export const MIN_CHUNK = 20;
export const MAX_CHUNK = 5000;

/** The next chunk's size from the last one's size and time: toward `chunkMs`, growing at most fourfold. */
export function nextChunk(size: number, elapsedMs: number, chunkMs: number): number {
  const scaled = Math.round((size * chunkMs) / Math.max(1, elapsedMs));
  // Grow at most fourfold per step: one lucky fast chunk must not make the next one take a second.
  return Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, scaled, size * 4));
}

/** Lets the event loop run what is waiting (requests, timers) before the next chunk. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Where a walk in id order stands: the last id done, and the size of the next chunk. */
export type IdWalk = { afterId: number; chunk: number };

/**
 * A walk over a workspace's rows in id order as a chain of jobs, one chunk each (one queued job per workspace,
 * by its dedupe key): `queue` starts it, or continues it from a part; `part` reads a job's payload (a missing
 * or malformed one starts from the beginning with `first`); `next` is the following part, paced to CHUNK_MS.
 */
export function idWalk(type: string, keyPrefix: string, first: number) {
  return {
    queue: (tx: Executor, workspaceId: number, now: Date, part?: IdWalk) =>
      enqueueJob(
        tx,
        {
          workspaceId,
          type,
          payload: part ?? { afterId: 0, chunk: first },
          runAt: now,
          dedupeKey: `${keyPrefix}:${workspaceId}`,
        },
        now,
      ),
    part(job: JobRow): IdWalk {
      const p = job.payload as Partial<IdWalk>;
      return {
        afterId: typeof p.afterId === 'number' ? p.afterId : 0,
        chunk: typeof p.chunk === 'number' ? p.chunk : first,
      };
    },
    /** The job has no database kind at hand: the embedded database's pace suits both. */
    next: (lastId: number, chunk: number, started: number): IdWalk => ({
      afterId: lastId,
      chunk: nextChunk(chunk, performance.now() - started, CHUNK_MS.pglite),
    }),
  };
}
