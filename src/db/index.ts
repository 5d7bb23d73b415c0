export { BackupError, backupEmbedded, restoreEmbedded } from './backup.js';
export { DataDirLockedError, lockDataDir, processAlive } from './data-dir-lock.js';
export { migrate, migrationsFolder } from './migrate.js';
export { type Database, type Db, type Executor, openPglite, openPostgres, type Tx } from './open.js';
export * as schema from './schema/index.js';
export { anyId, executePrepared, inIds, returningOf } from './statements.js';
