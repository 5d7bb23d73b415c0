import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { backupEmbedded, restoreEmbedded } from './backup.js';
import { migrate } from './migrate.js';
import { openPglite } from './open.js';

const root = mkdtempSync(join(tmpdir(), 'steward-backup-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dataDir = join(root, 'data');
const file = join(root, 'steward.backup');

async function slugs(): Promise<string[]> {
  const db = await openPglite({ dataDir });
  try {
    const rows = await db.pglite!.query<{ slug: string }>('select slug from workspaces order by slug');
    return rows.rows.map((r) => r.slug);
  } finally {
    await db.close();
  }
}

async function exec(sql: string): Promise<void> {
  const db = await openPglite({ dataDir });
  await db.pglite!.exec(sql);
  await db.close();
}

test('create data, back up, wipe, restore: the data is back and the wiped copy is kept aside', async () => {
  const db = await openPglite({ dataDir });
  await migrate(db);
  await db.close();
  await exec(
    `insert into workspaces (slug, name, created_at) values ('acme', 'Acme', now()), ('globex', 'Globex', now())`,
  );

  const { bytes } = await backupEmbedded(dataDir, file);
  assert.ok(bytes > 1000);
  assert.ok(!readdirSync(root).some((f) => f.endsWith('.tmp')), 'no temporary file left');

  await exec(`delete from workspaces where slug = 'acme'; update workspaces set name = 'Changed'`);
  assert.deepEqual(await slugs(), ['globex']);

  const restored = await restoreEmbedded(dataDir, file);
  assert.equal(restored.workspaces, 2);
  assert.deepEqual(await slugs(), ['acme', 'globex']);
  assert.ok(restored.previous && existsSync(restored.previous), 'the replaced database is kept');
  assert.ok(!existsSync(join(dataDir, 'steward.pid')), 'the lock is released');
});

test('a broken backup file is refused and the current data is untouched', async () => {
  const broken = join(root, 'broken.backup');
  writeFileSync(broken, 'not a backup at all');
  await assert.rejects(restoreEmbedded(dataDir, broken), /not a usable Steward backup/);
  assert.deepEqual(await slugs(), ['acme', 'globex']);
  assert.ok(!readdirSync(dataDir).some((f) => f.startsWith('pglite.restoring')), 'the attempt left nothing');
});

test('backup and restore refuse while Steward runs on the data directory', async () => {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  after(() => other.kill());
  writeFileSync(join(dataDir, 'steward.pid'), String(other.pid));
  await assert.rejects(
    backupEmbedded(dataDir, join(root, 'b2')),
    /Steward is running on .*stop it before the backup/,
  );
  await assert.rejects(restoreEmbedded(dataDir, file), /stop it before the restore/);
  assert.ok(!existsSync(join(root, 'b2')));
  other.kill();
  rmSync(join(dataDir, 'steward.pid'));
});
