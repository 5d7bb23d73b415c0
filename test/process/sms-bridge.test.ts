import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStewardProcess, stop, tempDataDir } from './steward-process.js';

/**
 * examples/sms-bridge.ts, run as the README says, against a real Steward: an SMS in becomes a conversation
 * (once, however often the provider retries), the agent's reply reaches the SMS provider, and shows as sent.
 */
const token = `boot_${randomBytes(24).toString('hex')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the SMS bridge example: in, answered, out', async () => {
  const steward = await startStewardProcess({
    STEWARD_DATA_DIR: tempDataDir(),
    STEWARD_BOOTSTRAP_TOKEN: token,
    STEWARD_WEBHOOKS_ALLOW_LOOPBACK: 'true',
    STEWARD_JOB_POLL_MS: '50',
  });
  after(() => stop(steward));
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${steward.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as T;
  };

  // The SMS provider: records what the bridge asks it to send.
  const sent: { to: string; text: string; reference?: number }[] = [];
  const provider = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      sent.push(JSON.parse(body));
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  after(() => provider.close());
  const providerPort = (provider.address() as { port: number }).port;

  const bridgePort = await freePort();
  const created = await api<{ bridge: { id: number }; secret: string }>('POST', '/messaging-bridges', {
    name: 'SMS gateway',
    channel: 'sms',
    replyUrl: `http://127.0.0.1:${bridgePort}/steward/replies`,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/sms-bridge.ts'], {
    env: {
      ...process.env,
      STEWARD_URL: steward.url,
      BRIDGE_ID: String(created.bridge.id),
      BRIDGE_SECRET: created.secret,
      PORT: String(bridgePort),
      SMS_PROVIDER_URL: `http://127.0.0.1:${providerPort}/send`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  after(() => child.kill());
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('sms bridge listening')) resolve();
    });
  });

  const sms = { from: '+49 151 12345678', text: 'My SIM card is blocked', id: 'sms-1' };
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`http://127.0.0.1:${bridgePort}/provider/incoming`, {
      method: 'POST',
      body: JSON.stringify(sms),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(
      ((await res.json()) as { duplicate: boolean }).duplicate,
      i === 1,
      'the retry is not stored again',
    );
  }
  const list = await api<{ items: { id: number; channel: string; subject: string; messageCount: number }[] }>(
    'GET',
    '/conversations?status=new',
  );
  const conversation = list.items.find((c) => c.channel === 'sms');
  assert.ok(conversation, 'the SMS is a conversation');
  assert.equal(conversation.messageCount, 1);

  await api('POST', `/conversations/${conversation.id}/messages`, {
    direction: 'outbound',
    body: 'Unblocked it, please restart your phone.',
  });
  for (let i = 0; i < 200 && sent.length === 0; i++) await sleep(50);
  assert.deepEqual(sent[0], {
    to: '+4915112345678',
    text: 'Unblocked it, please restart your phone.',
    reference: sent[0]?.reference,
  });
  let state = '';
  for (let i = 0; i < 100 && state !== 'sent'; i++) {
    const messages = await api<{ items: { direction: string; delivery: { state: string } | null }[] }>(
      'GET',
      `/conversations/${conversation.id}/messages`,
    );
    state = messages.items.find((m) => m.direction === 'outbound')?.delivery?.state ?? '';
    if (state !== 'sent') await sleep(50);
  }
  assert.equal(state, 'sent');
});
