/**
 * Fills a workspace with generated demo data (see src/modules/demo).
 *
 *   tsx scripts/generate.ts --scale 100000 [--seed 1] [--database-url URL | --data-dir DIR] [--workspace demo]
 *                           [--now 2026-11-20T12:00:00Z] [--batch-size 2000] [--quiet]
 *
 * Without --database-url/--data-dir it uses the server's own settings (DATABASE_URL, else STEWARD_DATA_DIR).
 * The database is migrated first; the workspace is created when no workspace has that slug, and must hold
 * no customers or conversations yet.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { type Database, lockDataDir, migrate, openPglite, openPostgres } from '../src/db/index.js';
import { generateDemoData } from '../src/modules/demo/index.js';
import { findWorkspaceBySlug, insertWorkspace } from '../src/modules/workspaces/index.js';

const usage =
  'usage: tsx scripts/generate.ts --scale N [--seed S] [--database-url URL | --data-dir DIR] [--workspace SLUG] ' +
  '[--now ISO-TIME] [--batch-size N] [--quiet]';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

function parse() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      workspace: { type: 'string', default: 'demo' },
      now: { type: 'string' },
      'batch-size': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 10_000_000)
    fail('--scale must be a whole number of conversations');
  if (values['database-url'] && values['data-dir'])
    fail('give either --database-url or --data-dir, not both');
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(values.workspace))
    fail('--workspace must be a slug (a-z, 0-9, dashes)');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) fail('--now must be an ISO date-time');
  const batchSize = values['batch-size'] ? Number(values['batch-size']) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
    fail('--batch-size must be positive');
  // A numeric seed stays a number so `--seed 1` and the API's `seed: 1` give the same data.
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  return { ...values, scale, now, batchSize, seed };
}

async function open(
  args: ReturnType<typeof parse>,
): Promise<{ database: Database; where: string; release(): void }> {
  const config = args['database-url'] || args['data-dir'] ? undefined : loadConfig();
  const url = args['database-url'] ?? config?.databaseUrl;
  if (url) {
    const database = await openPostgres(url, 2);
    return { database, where: new URL(url).pathname.slice(1) || url, release: () => {} };
  }
  const dataDir = args['data-dir'] ?? (config?.dataDir as string);
  // The embedded database belongs to one process: refuse while Steward is running on it.
  const release = lockDataDir(dataDir);
  const database = await openPglite({ dataDir });
  return { database, where: dataDir, release };
}

async function main(): Promise<void> {
  const args = parse();
  const { database, where, release } = await open(args);
  try {
    await migrate(database);
    const slug = args.workspace;
    const workspace =
      (await findWorkspaceBySlug(database.db, slug)) ??
      (await insertWorkspace(database.db, {
        slug,
        name: slug === 'demo' ? 'Demo company' : `Demo company (${slug})`,
        // The generated rhythm runs on UTC, and most demo customers are British.
        settings: { timeZone: 'UTC', locale: 'en-GB', defaultCountry: 'GB' },
        createdAt: new Date(args.now.getTime() - 400 * 86_400_000),
      }));
    if (!workspace) throw new Error(`could not create workspace ${slug}`);
    console.error(
      `Generating ${args.scale.toLocaleString('en')} conversations (seed ${args.seed}) into workspace ` +
        `"${slug}" (id ${workspace.id}) on ${database.kind} ${where}...`,
    );
    const { counts, seconds } = await generateDemoData(database, {
      workspaceId: workspace.id,
      seed: args.seed,
      conversations: args.scale,
      now: args.now,
      quiet: args.quiet,
      ...(args.batchSize ? { batchSize: args.batchSize } : {}),
    });
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    const rate = (n: number) => Math.round(n / seconds).toLocaleString('en');
    for (const [table, n] of Object.entries(counts))
      console.log(`${table.padEnd(14)} ${n.toLocaleString('en').padStart(12)}`);
    console.log(
      `${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s: ${rate(rows)} rows/s, ` +
        `${rate(counts.conversations)} conversations/s, ${rate(counts.messages)} messages/s`,
    );
  } finally {
    await database.close();
    release();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
