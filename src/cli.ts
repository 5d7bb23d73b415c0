import { parseArgs } from 'node:util';
import pino from 'pino';
import { openDatabase } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { migrate } from './db/index.js';
import { createWorkspaceWithOwner } from './modules/people/index.js';
import { createMetrics, type Deps, systemClock } from './platform/index.js';

const usage = `Steward instance commands (npm run steward -- <command>):

  workspace create --slug SLUG --name NAME --admin-email EMAIL [--admin-password PASSWORD]
      Creates another workspace with its own first admin (its owner). Without a password one is generated
      and printed once. People sign in with the workspace slug, their e-mail and password.
  workspace list
      Lists the workspaces of this instance.

The database is the one Steward itself uses: DATABASE_URL, or the embedded one in STEWARD_DATA_DIR
(stop the running Steward first: the embedded database belongs to one process).`;

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
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
