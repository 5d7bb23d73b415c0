import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { call, createTestApp } from '../../../test/support/app.js';

/** The visitor socket's handshake is limited per client address (STEWARD_CHAT_CONNECTS_PER_MINUTE). */
const t = await createTestApp({ chatConnectsPerMinute: 3 });
const base = await t.app.listen({ port: 0, host: '127.0.0.1' });

function handshake(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    after(() => socket.terminate());
    socket.on('open', () => resolve(101));
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('error', () => {});
  });
}

test('a client address may open only so many visitor sockets a minute: then 429', async () => {
  const ws = await t.workspace();
  const widget = (await call(t.app, ws.owner, 'POST', '/api/v1/chat-widgets', { name: 'Site' })).json();
  const url = `${base.replace(/^http/, 'ws')}/api/v1/chat/socket?key=${widget.publicKey}`;
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push(await handshake(url));
  assert.deepEqual(statuses, [101, 101, 101, 429, 429]);
});
