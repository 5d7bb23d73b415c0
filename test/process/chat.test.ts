import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import WebSocket from 'ws';
import { needsServer, startStewardProcess, stop, throwawayDatabase } from './steward-process.js';

/**
 * Live chat across processes: a visitor's socket on process B, the agent working through process A. The
 * visitor's message (stored by B) is on A's API at once, and the agent's reply and typing (through A) reach
 * the visitor on B through LISTEN/NOTIFY.
 */
test("a reply made through process A reaches a chat visitor's socket on process B", needsServer, async () => {
  const url = await throwawayDatabase('chat');
  const token = `boot_${randomBytes(24).toString('hex')}`;
  const env = {
    DATABASE_URL: url,
    STEWARD_ADMIN_EMAIL: 'ops@example.com',
    STEWARD_ADMIN_PASSWORD: 'an operator password',
    STEWARD_BOOTSTRAP_TOKEN: token,
  };
  const a = await startStewardProcess(env);
  const b = await startStewardProcess({ ...env, STEWARD_WORKERS: 'off' });
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${a.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const widget = await api('POST', '/chat-widgets', { name: 'Site' });
    const socket = new WebSocket(
      `${b.url.replace(/^http/, 'ws')}/api/v1/chat/socket?key=${widget.publicKey}`,
    );
    const frames: Array<{ type: string; [k: string]: unknown }> = [];
    let notify = () => {};
    socket.on('message', (raw) => {
      frames.push(JSON.parse(String(raw)));
      notify();
    });
    const waitFor = (match: (f: { type: string; [k: string]: unknown }) => boolean) =>
      new Promise<{ type: string; [k: string]: unknown }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such frame: ${JSON.stringify(frames)}`)), 10_000);
        const check = () => {
          const f = frames.find(match);
          if (!f) return;
          clearTimeout(timer);
          frames.splice(frames.indexOf(f), 1);
          resolve(f);
        };
        notify = check;
        check();
      });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'hello' }));
    await waitFor((f) => f.type === 'synced');
    socket.send(JSON.stringify({ type: 'message', clientId: 'x1', text: 'Is my parcel lost?' }));
    await waitFor((f) => f.type === 'ack');

    const list = (await api('GET', '/conversations?channel=chat')) as { items: Array<{ id: number }> };
    const id = list.items[0]!.id;
    await api('POST', `/conversations/${id}/activity`, { state: 'typing', active: true });
    assert.equal((await waitFor((f) => f.type === 'typing')).typing, true);
    await api('POST', `/conversations/${id}/messages`, {
      direction: 'outbound',
      body: 'No, it is on its way.',
    });
    const got = await waitFor(
      (f) =>
        f.type === 'messages' &&
        (f.messages as Array<{ text: string }>).some((m) => m.text === 'No, it is on its way.'),
    );
    assert.equal((got.messages as Array<{ from: string }>).at(-1)?.from, 'agent');
    socket.close();
  } finally {
    const stopped = await Promise.all([stop(a), stop(b)]);
    assert.deepEqual(
      stopped.map((s) => s.code),
      [0, 0],
    );
  }
});
