import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import WebSocket from 'ws';
import { needsServer, signIn, startStewardProcess, stop, throwawayDatabase } from './steward-process.js';

/**
 * Realtime across processes: two Steward processes on one PostgreSQL database; a socket on process B sees a
 * conversation created, replied to and solved through process A (LISTEN/NOTIFY carries it across).
 */

test('a change made through process A arrives on a WebSocket of process B', needsServer, async () => {
  const url = await throwawayDatabase('rt');
  const token = `boot_${randomBytes(24).toString('hex')}`;
  const admin = { email: 'ops@example.com', password: 'an operator password' };
  const env = {
    DATABASE_URL: url,
    STEWARD_ADMIN_EMAIL: admin.email,
    STEWARD_ADMIN_PASSWORD: admin.password,
    STEWARD_BOOTSTRAP_TOKEN: token,
  };
  // One after the other: B must not race A's first-start setup (tested elsewhere).
  const a = await startStewardProcess(env);
  const b = await startStewardProcess({ ...env, STEWARD_WORKERS: 'off' });
  try {
    const session = await signIn(b.url, { workspace: 'default', ...admin });
    assert.equal(session.status, 200);
    const socket = new WebSocket(`${b.url.replace(/^http/, 'ws')}/api/v1/stream`, {
      headers: { cookie: session.cookie, origin: b.url },
    });
    const frames: { type: string; data?: Record<string, unknown> }[] = [];
    let notify = () => {};
    socket.on('message', (raw) => {
      frames.push(JSON.parse(String(raw)));
      notify();
    });
    // `which`: the frame wanted among several of its type (the customer's message being read pushes a
    // `conversation.updated` of its own, at a moment of its own).
    const waitFor = (type: string, which: (data: Record<string, unknown>) => boolean = () => true) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type}: ${JSON.stringify(frames)}`)), 10_000);
        const check = () => {
          const f = frames.find((x) => x.type === type && which((x.data ?? {}) as Record<string, unknown>));
          if (!f) return;
          clearTimeout(timer);
          frames.splice(frames.indexOf(f), 1);
          resolve(f.data);
        };
        notify = check;
        check();
      });
    await waitFor('ready');

    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${a.url}/api/v1/conversations`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({
        subject: 'Double charge',
        channel: 'email',
        customer: { email: 'kim@example.com', name: 'Kim' },
        message: { body: 'You charged me twice.' },
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const conversationId = ((await created.json()) as { conversation: { id: number } }).conversation.id;
    assert.equal((await waitFor('conversation.created'))?.conversationId, conversationId);

    const reply = await fetch(`${a.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ direction: 'outbound', body: 'Refunded, sorry.' }),
    });
    assert.equal(reply.status, 201);
    const message = await waitFor('message.created');
    assert.equal(message?.conversationId, conversationId);
    assert.equal(message?.direction, 'outbound');

    const solved = await fetch(`${a.url}/api/v1/conversations/${conversationId}`, {
      method: 'PATCH',
      headers: bearer,
      body: JSON.stringify({ status: 'solved' }),
    });
    assert.equal(solved.status, 200);
    const update = await waitFor('conversation.updated', (d) => d.status === 'solved');
    assert.equal(update?.conversationId, conversationId);
    socket.close();
  } finally {
    const stopped = await Promise.all([stop(a), stop(b)]);
    assert.deepEqual(
      stopped.map((s) => s.code),
      [0, 0],
      'both stop cleanly, the listening connection included',
    );
  }
});
