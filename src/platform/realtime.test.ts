import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.js';
import { flushRealtimeAfterCommit, publishRealtimeAfterCommit, type RealtimeMessage } from './realtime.js';
import { createRealtimeHub } from './realtime-hub.js';

const database = await createTestDatabase();
const hub = createRealtimeHub(database, pino({ level: 'silent' }));
after(async () => {
  await hub.close();
  await database.drop();
});

async function collect(workspaceId: number) {
  const seen: RealtimeMessage[] = [];
  const stop = await hub.tap((m) => {
    if (m.workspaceId === workspaceId) seen.push(m);
  });
  return { seen, stop };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('pushes published after commit arrive, each once and in order, batched without waiting for a flush', async () => {
  const { seen, stop } = await collect(910_001);
  // More than one batch (200): the first goes at once, the rest after the short delay.
  for (let i = 0; i < 450; i++)
    publishRealtimeAfterCommit(database.db, { workspaceId: 910_001, type: 'thing.happened', data: { i } });
  await until(() => seen.length >= 450);
  await new Promise((r) => setTimeout(r, 50));
  stop();
  assert.equal(seen.length, 450);
  assert.deepEqual(
    seen.map((m) => m.data.i),
    Array.from({ length: 450 }, (_, i) => i),
  );
});

test('a flush sends what waits at once; a flush with nothing waiting does nothing', async () => {
  const { seen, stop } = await collect(910_002);
  await flushRealtimeAfterCommit(database.db);
  publishRealtimeAfterCommit(database.db, {
    workspaceId: 910_002,
    personIds: [7],
    type: 'thing.happened',
    data: { quote: `it's "here" \\ now` },
  });
  await flushRealtimeAfterCommit(database.db);
  await until(() => seen.length === 1);
  stop();
  assert.deepEqual(seen[0], {
    workspaceId: 910_002,
    personIds: [7],
    type: 'thing.happened',
    data: { quote: `it's "here" \\ now` },
  });
});
