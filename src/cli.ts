import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { openDatabase } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { BackupError, backupEmbedded, migrate, restoreEmbedded } from './db/index.js';
import { createWorkspaceWithOwner } from './modules/people/index.js';
import { createMetrics, type Deps, systemClock } from './platform/index.js';

const usage = `Steward instance commands (npm run steward -- <command>):

  workspace create --slug SLUG --name NAME --admin-email EMAIL [--admin-password PASSWORD]
      Creates another workspace with its own first admin (its owner). Without a password one is generated
      and printed once. People sign in with the workspace slug, their e-mail and password.
  workspace list
      Lists the workspaces of this instance.
  backup FILE
      Writes a backup of the embedded database (STEWARD_DATA_DIR) to FILE. Stop Steward first.
  restore FILE
      Restores a backup into STEWARD_DATA_DIR. Stop Steward first. The current database is kept aside
      (pglite.before-restore-<time>) and replaced only after the backup was loaded and checked.
      On PostgreSQL (DATABASE_URL) use pg_dump / pg_restore instead (see README, "Data care").

The database is the one Steward itself uses: DATABASE_URL, or the embedded one in STEWARD_DATA_DIR
(stop the running Steward first: the embedded database belongs to one process).`;

const pgAdvice = `Steward runs on PostgreSQL here (DATABASE_URL): back it up with the server's own tools:
  pg_dump --format=custom --file=steward.dump "$DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" steward.dump
(stop Steward, or point it at the restored database, before a restore; see README, "Data care").`;

async function dataCare(command: 'backup' | 'restore', file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`usage: npm run steward -- ${command} FILE`);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.log(pgAdvice);
    return 2;
  }
  try {
    if (command === 'backup') {
      const { bytes } = await backupEmbedded(config.dataDir, resolve(file));
      console.log(`Backed up ${config.dataDir} to ${resolve(file)} (${bytes} bytes).`);
    } else {
      const { workspaces, previous } = await restoreEmbedded(config.dataDir, resolve(file));
      console.log(`Restored ${resolve(file)} into ${config.dataDir} (${workspaces} workspaces).`);
      if (previous) console.log(`The database it replaced is kept in ${previous}; delete it when sure.`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === 'backup' || group === 'restore') return dataCare(group, command);
  if (group !== 'workspace' || (command !== 'create' && command !== 'list')) {
    console.log(usage);
    return group === undefined || group === 'help' || group === '--help' ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig();
  const log = pino({ level: 'warn' });
  const { database, unlock } = await openDatabase(config, log);
  try {
    await migrate(database);
    const deps: Deps = {
      database,
      db: database.db,
      clock: systemClock,
      log,
      metrics: createMetrics(async () => 0),
      settings: {
        autoCloseDays: config.autoCloseDays,
        cookieSecure: config.cookieSecure,
        bodyLimit: config.bodyLimit,
        signInPerMinute: config.signInPerMinute,
        trustProxy: config.trustProxy,
        metricsToken: config.metricsToken,
        webhooks: config.webhooks,
        attachmentsDir: config.attachmentsDir,
        attachmentMaxBytes: config.attachmentMaxBytes,
        messageAttachmentsMaxBytes: config.messageAttachmentsMaxBytes,
        exportKeepDays: config.exportKeepDays,
        smtpUrl: config.smtpUrl,
        mailFrom: config.mailFrom,
      },
    };
    if (command === 'list') {
      const rows = await database.db.execute('select id, slug, name, created_at from workspaces order by id');
      for (const r of rows.rows as Array<{ id: number; slug: string; name: string }>)
        console.log(`${r.id}\t${r.slug}\t${r.name}`);
      return 0;
    }
    const slug = values.slug?.toLowerCase();
    if (!slug || !/^[a-z0-9][a-z0-9-]{1,40}$/.test(slug)) {
      console.error('--slug is required: 2-41 lowercase letters, digits and dashes');
      return 2;
    }
    if (!values['admin-email'] || !/^[^@\s]+@[^@\s]+$/.test(values['admin-email'])) {
      console.error('--admin-email is required');
      return 2;
    }
    if (values['admin-password'] !== undefined && values['admin-password'].length < 10) {
      console.error('--admin-password must have at least 10 characters');
      return 2;
    }
    const result = await createWorkspaceWithOwner(deps, {
      slug,
      name: values.name ?? slug,
      adminEmail: values['admin-email'].toLowerCase(),
      adminPassword: values['admin-password'],
    });
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    const { workspace, owner, generatedPassword } = result.value;
    console.log(`Created workspace ${workspace.slug} (${workspace.name}). Its owner signs in with:`);
    console.log(`  workspace: ${workspace.slug}\n  e-mail:    ${owner.email}`);
    console.log(
      `  password:  ${generatedPassword ?? '(the one given)'}${generatedPassword ? '   (shown only this once)' : ''}`,
    );
    return 0;
  } finally {
    await database.close();
    unlock();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
