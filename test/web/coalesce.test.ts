import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COALESCE_MS, coalescer, type Key } from '../../web/src/coalesce.js';

/** The agent app's re-fetches after pushes (web/src/coalesce.ts), on a clock and timers the test moves. */
function harness() {
  let now = 1_000;
  const timers: Array<{ at: number; run: () => void }> = [];
  const ran: string[][] = [];
  const invalidate = coalescer((key: Key) => ran.at(-1)?.push(JSON.stringify(key)), {
    now: () => now,
    later: (run, ms) => timers.push({ at: now + ms, run }),
  });
  /** Moves the clock to `to`, running each timer due on the way as one flush. */
  const advance = (to: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > to) break;
      timers.shift();
      now = next.at;
      ran.push([]);
      next.run();
    }
    now = to;
  };
  return { invalidate, advance, ran, timers };
}

test('a burst of pushes re-fetches each key once per interval, the first at once', () => {
  const h = harness();
  h.invalidate(['conversations']);
  h.invalidate(['conversation', 7]);
  h.advance(1_000);
  assert.deepEqual(h.ran, [['["conversations"]', '["conversation",7]']], 'the first goes out at once');
  // 1,000 pushes within the next interval: one flush at its end, each key once.
  for (let i = 0; i < 1_000; i++) {
    h.invalidate(['conversations']);
    h.invalidate(['conversation', i % 3]);
  }
  h.advance(1_000 + COALESCE_MS - 1);
  assert.equal(h.ran.length, 1, 'nothing before the interval is over');
  h.advance(1_000 + COALESCE_MS);
  assert.deepEqual(h.ran[1], [
    '["conversations"]',
    '["conversation",0]',
    '["conversation",1]',
    '["conversation",2]',
  ]);
  assert.equal(h.timers.length, 0);
  // After a quiet spell, the next push goes out at once again.
  h.advance(5_000);
  h.invalidate(['conversations']);
  assert.equal(h.timers[0]?.at, 5_000);
});
