import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { createTestApp } from '../test/support/app.js';
import { loadDemoData } from './demo-command.js';
import { findJobs } from './platform/index.js';

const t = await createTestApp();

test('the demo data set comes with its background work asked for: the matters replay and a first reason model', async () => {
  const ws = await t.workspace();
  await loadDemoData(t.deps, ws.id, pino({ level: 'silent' }));
  const queued = (await findJobs(t.deps.db, ws.id, { statuses: ['queued'] })).map((j) => j.type);
  assert.ok(queued.includes('matters.backfill'), queued.join(', '));
  assert.ok(queued.includes('reason_model.train'), queued.join(', '));
  const models = await t.deps.db.execute(
    `select status, requested_by_id from reason_models where workspace_id = ${ws.id}`,
  );
  assert.deepEqual(models.rows, [{ status: 'training', requested_by_id: null }]);
  // Loaded once: a second start leaves the workspace as it is.
  await loadDemoData(t.deps, ws.id, pino({ level: 'silent' }));
  assert.equal(
    (await t.deps.db.execute(`select 1 from reason_models where workspace_id = ${ws.id}`)).rows.length,
    1,
  );
});
