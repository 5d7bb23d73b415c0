import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';
import { pgliteExtensions } from './open.js';

/** Thrown with a message for the operator; the CLI prints it as is. */
export class BackupError extends Error {}

function lockForMaintenance(dataDir: string, what: string): () => void {
  try {
    return lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof DataDirLockedError)
      throw new BackupError(
        `Steward is running on ${dataDir}: stop it before the ${what}. The embedded database belongs to one ` +
          'process and its files cannot be copied safely while it runs.',
      );
    throw err;
  }
}

/**
 * Writes a backup of the embedded database: PGlite's own dump of its data directory (a gzipped tar),
 * written under a temporary name and renamed, so a backup file is always whole. Refuses while Steward runs
 * on that directory (the pid lock): a consistent copy needs the database closed.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<{ bytes: number }> {
  if (!existsSync(join(dataDir, 'pglite'))) throw new BackupError(`No embedded database in ${dataDir}`);
  const unlock = lockForMaintenance(dataDir, 'backup');
  try {
    const pglite = await PGlite.create({ dataDir: join(dataDir, 'pglite'), extensions: pgliteExtensions });
    try {
      const dump = await pglite.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, file);
      return { bytes: bytes.length };
    } finally {
      await pglite.close();
    }
  } finally {
    unlock();
  }
}

/**
 * Restores a backup into `dataDir`. Never destroys the current data before the new one is verified: the
 * backup is loaded into a new directory beside it and checked (it opens, has Steward's migrations and
 * workspaces); only then is the current database moved aside (`pglite.before-restore-<time>`, kept) and the
 * new one put in its place. Refuses while Steward runs on that directory.
 */
export async function restoreEmbedded(
  dataDir: string,
  file: string,
  now = new Date(),
): Promise<{ workspaces: number; previous: string | undefined }> {
  await stat(file).catch(() => {
    throw new BackupError(`No backup file at ${file}`);
  });
  const unlock = lockForMaintenance(dataDir, 'restore');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const incoming = join(dataDir, `pglite.restoring-${stamp}`);
  try {
    let workspaces: number;
    try {
      const pglite = await PGlite.create({
        dataDir: incoming,
        loadDataDir: new Blob([await readFile(file)]),
        extensions: pgliteExtensions,
      });
      try {
        const migrations = await pglite.query<{ n: number }>(
          'select count(*)::int as n from drizzle.__drizzle_migrations',
        );
        if (!migrations.rows[0]?.n) throw new Error('it has no Steward migrations');
        const counted = await pglite.query<{ n: number }>('select count(*)::int as n from workspaces');
        workspaces = counted.rows[0]?.n ?? 0;
      } finally {
        await pglite.close();
      }
    } catch (err) {
      await rm(incoming, { recursive: true, force: true });
      throw new BackupError(`${file} is not a usable Steward backup: ${(err as Error).message}`);
    }
    const current = join(dataDir, 'pglite');
    let previous: string | undefined;
    if (existsSync(current)) {
      previous = join(dataDir, `pglite.before-restore-${stamp}`);
      await rename(current, previous);
    }
    await rename(incoming, current);
    return { workspaces, previous };
  } finally {
    unlock();
  }
}
