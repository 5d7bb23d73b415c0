import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import {
  needsServer,
  type StewardProcess,
  startStewardProcess,
  stop,
  tempDataDir,
  throwawayDatabase,
} from './steward-process.js';

/**
 * "Nothing is lost": a burst of 1,000 mails from a client that retries on any failure (as mail servers do),
 * and Steward killed with SIGKILL in the middle of it. After the restart every mail is there exactly once:
 * a mail committed before the kill whose 250 never arrived is retried and deduplicated by its Message-ID.
 */
const MAILS = 1_000;
const CONNECTIONS = 8;
const token = `boot_${randomBytes(24).toString('hex')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/** Sends one mail until the server says 250; a 5xx is a test failure (nothing here deserves one). */
async function deliver(port: number, i: number, counters: { retries: number }): Promise<void> {
  for (;;) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      ignoreTLS: true,
      connectionTimeout: 2_000,
      greetingTimeout: 2_000,
      socketTimeout: 10_000,
    });
    try {
      const info = await transport.sendMail({
        from: `sender${i % 50}@example.org`,
        to: 'burst@acme.test',
        subject: `Burst mail ${i}`,
        text: `Mail number ${i} of the burst.`,
        messageId: `<burst-${i}@example.org>`,
      });
      assert.match(info.response, /^250/);
      return;
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      assert.ok(code === undefined || code < 500, `mail ${i} refused for good: ${String(err)}`);
      counters.retries++;
      await sleep(100);
    } finally {
      transport.close();
    }
  }
}

async function subjects(base: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ items: { subject: string; messageCount: number }[]; nextCursor: string | null }>(
      base,
      'GET',
      `/conversations?status=new&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const c of page.items) for (let k = 0; k < c.messageCount; k++) seen.push(c.subject);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

async function burstWithKill(env: Record<string, string>) {
  const smtpPort = await freePort();
  const full = {
    ...env,
    STEWARD_SMTP_PORT: String(smtpPort),
    STEWARD_BOOTSTRAP_TOKEN: token,
    STEWARD_ADMIN_EMAIL: 'ada@example.com',
    STEWARD_ADMIN_PASSWORD: 'a long enough password',
    STEWARD_EMAIL_PER_SENDER_PER_HOUR: '100000',
    STEWARD_WORKERS: 'off',
  };
  let steward: StewardProcess = await startStewardProcess(full);
  await api(steward.url, 'POST', '/mailboxes', { address: 'burst@acme.test', name: 'Burst' });
  const counters = { retries: 0 };
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: CONNECTIONS }, async () => {
    while (next < MAILS) {
      const i = next++;
      await deliver(smtpPort, i, counters);
      done++;
    }
  });
  while (done < MAILS * 0.3) await sleep(20);
  const killed = await stop(steward, 'SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(done < MAILS, 'killed in the middle of the burst');
  steward = await startStewardProcess(full);
  await Promise.all(workers);
  const all = await subjects(steward.url);
  const counts = new Map<string, number>();
  for (const s of all) counts.set(s, (counts.get(s) ?? 0) + 1);
  const missing = Array.from({ length: MAILS }, (_, i) => `Burst mail ${i}`).filter((s) => !counts.has(s));
  const doubled = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  assert.deepEqual(missing, [], 'every mail is there');
  assert.deepEqual(doubled, [], 'none twice');
  assert.equal(all.length, MAILS);
  assert.ok(counters.retries > 0, 'the kill made the client retry');
  await stop(steward);
}

test('SIGKILL during a burst of 1,000 mails on the embedded database: each mail exactly once after restart', async () => {
  await burstWithKill({ STEWARD_DATA_DIR: tempDataDir() });
});

test('the same on PostgreSQL', needsServer, async () => {
  await burstWithKill({ DATABASE_URL: await throwawayDatabase('mail') });
});
