import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { call, createTestApp, type TestApp, type TestWorkspace } from '../../../test/support/app.js';
import { matchesEventType } from './event-types.js';
import { enqueueSignedCall } from './index.js';
import { checkWebhookUrl, classifyAddress } from './url-policy.js';

/**
 * Webhooks end to end: real databases, and a real HTTP server on loopback as the receiver (the outside
 * world). The fake clock moves retries; `worker.drain()` feeds events to the consumer and runs due jobs.
 */
const t = await createTestApp();
/** Pauses after 2 failed deliveries in a row. */
const p = await createTestApp({ webhooks: { pauseAfterFailures: 2 } });
/** The production default: no loopback. */
const strict = await createTestApp({ webhooks: { allowLoopback: false } });

type Received = { headers: IncomingHttpHeaders; body: string };
type Receiver = {
  url: string;
  received: Received[];
  /** Answers to give, in order; afterwards 200 "ok". */
  replies: Array<{ status: number; body?: string }>;
  always?: { status: number; body?: string };
};

async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', received: [], replies: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = r.replies.shift() ?? r.always ?? { status: 200, body: 'ok' };
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** The verification snippet exactly as README.md prints it. */
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const snippet = /<!-- verify-snippet -->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
assert.ok(snippet, 'README.md has the verification snippet');
const snippetFile = join(tmpdir(), `steward-verify-${process.pid}.mjs`);
writeFileSync(snippetFile, snippet);
const { verifyStewardSignature } = (await import(pathToFileURL(snippetFile).href)) as {
  verifyStewardSignature(
    secret: string,
    header: string,
    rawBody: string | Buffer,
    options?: { toleranceSeconds?: number; now?: number },
  ): boolean;
};

async function createHook(app: TestApp, ws: TestWorkspace, url: string, eventTypes: string[] = ['*']) {
  const res = await call(app.app, ws.owner, 'POST', '/api/v1/webhooks', { name: 'Hook', url, eventTypes });
  assert.equal(res.statusCode, 201, res.body);
  return { id: res.json().webhook.id as number, secret: res.json().secret as string };
}

async function newCustomer(app: TestApp, ws: TestWorkspace, name = 'Casey') {
  const res = await call(app.app, ws.owner, 'POST', '/api/v1/customers', { name });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function deliveries(app: TestApp, ws: TestWorkspace, hookId: number, query = '') {
  const res = await call(app.app, ws.owner, 'GET', `/api/v1/webhooks/${hookId}/deliveries${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Array<
    Record<string, unknown> & { id: number; status: string; attempts: number }
  >;
}

async function detail(app: TestApp, ws: TestWorkspace, hookId: number, deliveryId: number) {
  const res = await call(app.app, ws.owner, 'GET', `/api/v1/webhooks/${hookId}/deliveries/${deliveryId}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    delivery: { status: string; attempts: number; body: string; lastStatusCode: number | null };
    attempts: Array<{
      statusCode: number | null;
      responseBody: string | null;
      error: string | null;
      durationMs: number;
      manual: boolean;
      succeeded: boolean;
      requestedAt: string;
    }>;
  };
}

const nowMs = (app: TestApp) => app.clock.now().getTime();

describe('delivery', () => {
  test('a matching event arrives signed, with the headers and the envelope; the README snippet verifies it', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    const hook = await createHook(t, ws, rx.url, ['customer.*']);
    assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const customerId = await newCustomer(t, ws);
    await t.worker.drain();
    assert.equal(rx.received.length, 1);
    const [got] = rx.received;
    const h = got!.headers;
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h['user-agent'], 'Steward-Webhooks/1');
    assert.equal(h['steward-event'], 'customer.created');
    const [delivery] = await deliveries(t, ws, hook.id);
    assert.equal(h['steward-delivery'], String(delivery!.id));
    assert.equal(delivery!.status, 'succeeded');
    const envelope = JSON.parse(got!.body);
    assert.deepEqual(Object.keys(envelope), [
      'id',
      'type',
      'occurredAt',
      'workspaceId',
      'entity',
      'actor',
      'data',
    ]);
    assert.equal(envelope.type, 'customer.created');
    assert.equal(envelope.workspaceId, ws.id);
    assert.deepEqual(envelope.entity, { type: 'customer', id: customerId });
    assert.deepEqual(envelope.actor, { type: 'person', id: ws.owner.personId });
    assert.equal(envelope.occurredAt, t.clock.now().toISOString());
    const events = await call(t.app, ws.owner, 'GET', `/api/v1/events?type=customer.created`);
    assert.equal(envelope.id, events.json().items[0].id, 'the envelope id is the event id');

    const signature = String(h['steward-signature']);
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(signature.split(',')[0], `t=${Math.floor(nowMs(t) / 1000)}`);
    const now = nowMs(t);
    assert.equal(verifyStewardSignature(hook.secret, signature, got!.body, { now }), true);
    assert.equal(verifyStewardSignature(hook.secret, signature, Buffer.from(got!.body), { now }), true);
    assert.equal(verifyStewardSignature('whsec_wrong', signature, got!.body, { now }), false);
    assert.equal(verifyStewardSignature(hook.secret, signature, `${got!.body} `, { now }), false);
    assert.equal(
      verifyStewardSignature(hook.secret, signature, got!.body, { now: now + 10 * 60_000 }),
      false,
      'an old timestamp is refused',
    );
  });

  test("non-matching types are not delivered, and the webhooks' own events never are", async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    const everything = await createHook(t, ws, rx.url, ['*']);
    const convOnly = await createHook(t, ws, rx.url, ['conversation.created']);
    await newCustomer(t, ws);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/webhooks/${convOnly.id}`, { name: 'Renamed' });
    await t.worker.drain();
    assert.deepEqual(
      rx.received.map((r) => r.headers['steward-event']),
      ['customer.created'],
      'only the customer event, once, to the * hook; no webhook.* events',
    );
    assert.equal((await deliveries(t, ws, convOnly.id)).length, 0);
    assert.equal((await deliveries(t, ws, everything.id)).length, 1);
  });

  test('a 500 is retried after the backoff with the same delivery id; every attempt is logged', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    rx.replies.push({ status: 500, body: 'database down' });
    const hook = await createHook(t, ws, rx.url);
    await newCustomer(t, ws);
    await t.worker.drain();
    assert.equal(rx.received.length, 1);
    let [d] = await deliveries(t, ws, hook.id);
    assert.equal(d!.status, 'pending');
    assert.equal(d!.attempts, 1);
    assert.equal(d!.lastStatusCode, 500);
    assert.equal(d!.nextAttemptAt, new Date(nowMs(t) + 5_000).toISOString());
    await t.worker.drain();
    assert.equal(rx.received.length, 1, 'not before the backoff');
    t.clock.advance(5_000);
    await t.worker.drain();
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[1]!.headers['steward-delivery'], rx.received[0]!.headers['steward-delivery']);
    assert.equal(rx.received[1]!.body, rx.received[0]!.body, 'the same body');
    assert.notEqual(
      rx.received[1]!.headers['steward-signature'],
      rx.received[0]!.headers['steward-signature'],
    );
    [d] = await deliveries(t, ws, hook.id);
    assert.equal(d!.status, 'succeeded');
    const log = await detail(t, ws, hook.id, d!.id);
    assert.deepEqual(
      log.attempts.map((a) => [a.statusCode, a.responseBody, a.succeeded]),
      [
        [500, 'database down', false],
        [200, 'ok', true],
      ],
    );
    assert.match(log.attempts[0]!.error!, /500/);
    assert.ok(log.attempts.every((a) => Number.isInteger(a.durationMs) && a.durationMs >= 0));
    assert.equal(log.delivery.body, rx.received[0]!.body);
  });

  test('a delivery that exhausts its attempts is failed', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    rx.always = { status: 503, body: 'x'.repeat(10_000) };
    const hook = await createHook(t, ws, rx.url);
    await newCustomer(t, ws);
    for (let i = 0; i < 14; i++) {
      await t.worker.drain();
      t.clock.advance(3_600_000);
    }
    assert.equal(rx.received.length, 12, '12 attempts');
    const [d] = await deliveries(t, ws, hook.id);
    assert.equal(d!.status, 'failed');
    assert.equal(d!.attempts, 12);
    assert.equal(d!.nextAttemptAt, null);
    const log = await detail(t, ws, hook.id, d!.id);
    assert.equal(log.attempts.length, 12);
    assert.equal(log.attempts[0]!.responseBody!.length, 4096, 'the first 4 KB of the response');
    assert.equal((await deliveries(t, ws, hook.id, '?status=failed')).length, 1);
    assert.equal((await deliveries(t, ws, hook.id, '?status=succeeded')).length, 0);
    const webhook = (await call(t.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}`)).json();
    assert.equal(webhook.consecutiveFailures, 1);
    assert.equal(webhook.status, 'active');
  });

  test('the delivery log pages by cursor, newest first', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    const hook = await createHook(t, ws, rx.url, ['customer.created']);
    for (let i = 0; i < 5; i++) {
      await newCustomer(t, ws, `C${i}`);
      t.clock.advance(1_000);
    }
    await t.worker.drain();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}/deliveries${q}`);
      seen.push(...res.json().items.map((x: { id: number }) => x.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
  });
});

describe('redelivery', () => {
  test('sends the same delivery id with a fresh timestamp and signature, logged as manual', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    rx.always = { status: 500 };
    const hook = await createHook(t, ws, rx.url);
    const ping = await call(t.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    assert.equal(ping.statusCode, 202, ping.body);
    await t.worker.drain();
    let log = await detail(t, ws, hook.id, ping.json().id);
    assert.equal(log.delivery.status, 'failed', 'a test ping gets one attempt');
    assert.equal(JSON.parse(log.delivery.body).type, 'webhook.test');
    rx.always = undefined;
    t.clock.advance(60_000);
    const again = await call(
      t.app,
      ws.owner,
      'POST',
      `/api/v1/webhooks/${hook.id}/deliveries/${ping.json().id}/redeliver`,
    );
    assert.equal(again.statusCode, 202, again.body);
    await t.worker.drain();
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[1]!.headers['steward-delivery'], String(ping.json().id));
    assert.equal(rx.received[1]!.body, rx.received[0]!.body);
    const [t0, t1] = rx.received.map((r) => String(r.headers['steward-signature']).split(',')[0]);
    assert.notEqual(t0, t1, 'a fresh timestamp');
    assert.ok(
      verifyStewardSignature(
        hook.secret,
        String(rx.received[1]!.headers['steward-signature']),
        rx.received[1]!.body,
        {
          now: nowMs(t),
        },
      ),
    );
    log = await detail(t, ws, hook.id, ping.json().id);
    assert.equal(log.delivery.status, 'succeeded');
    assert.deepEqual(
      log.attempts.map((a) => [a.manual, a.succeeded]),
      [
        [false, false],
        [true, true],
      ],
    );
    const webhook = (await call(t.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}`)).json();
    assert.equal(webhook.consecutiveFailures, 0, 'a failed test ping does not count towards pausing');
  });
});

describe('pausing', () => {
  test('N deliveries failing in a row pause the webhook and tell its owner; resuming starts afresh', async () => {
    const ws = await p.workspace();
    const rx = await receiver();
    rx.always = { status: 500, body: 'nope' };
    const hook = await createHook(p, ws, rx.url, ['customer.created']);
    await newCustomer(p, ws, 'One');
    await newCustomer(p, ws, 'Two');
    for (let i = 0; i < 14; i++) {
      await p.worker.drain();
      p.clock.advance(3_600_000);
    }
    assert.equal(rx.received.length, 24);
    const webhook = (await call(p.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}`)).json();
    assert.equal(webhook.status, 'paused');
    assert.match(webhook.pausedReason, /2 deliveries in a row failed/);
    assert.equal(webhook.consecutiveFailures, 2);
    const paused = (
      await call(p.app, ws.owner, 'GET', `/api/v1/events?type=webhook.paused&entityId=${hook.id}`)
    ).json().items;
    assert.equal(paused.length, 1);
    assert.equal(paused[0].actorType, 'system');
    assert.deepEqual(paused[0].data.notifyPersonIds, [ws.owner.personId]);
    assert.equal(paused[0].data.notifyKind, 'webhook_paused');
    assert.equal(paused[0].data.notifyTitle, 'Webhook "Hook" paused after repeated failures');

    // While paused, events are not delivered (no delivery is even created).
    rx.always = undefined;
    await newCustomer(p, ws, 'Three');
    await p.worker.drain();
    assert.equal(rx.received.length, 24);
    assert.equal((await deliveries(p, ws, hook.id)).length, 2);

    const resumed = await call(p.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/resume`);
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json().status, 'active');
    assert.equal(resumed.json().consecutiveFailures, 0);
    assert.equal(resumed.json().pausedReason, null);
    await newCustomer(p, ws, 'Four');
    await p.worker.drain();
    assert.equal(rx.received.length, 25);
    assert.equal(JSON.parse(rx.received[24]!.body).type, 'customer.created');
  });

  test('pausing by hand cancels deliveries waiting for a retry', async () => {
    const ws = await p.workspace();
    const rx = await receiver();
    rx.replies.push({ status: 502 });
    const hook = await createHook(p, ws, rx.url);
    await newCustomer(p, ws);
    await p.worker.drain();
    const pause = await call(p.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/pause`, {
      reason: 'receiver maintenance',
    });
    assert.equal(pause.statusCode, 200, pause.body);
    assert.equal(pause.json().pausedReason, 'receiver maintenance');
    p.clock.advance(60_000);
    await p.worker.drain();
    assert.equal(rx.received.length, 1);
    const [d] = await deliveries(p, ws, hook.id);
    assert.equal(d!.status, 'cancelled');
    // Someone asking still gets an answer while it is paused: a test ping goes out.
    const ping = await call(p.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    await p.worker.drain();
    assert.equal(rx.received.length, 2);
    assert.equal((await detail(p, ws, hook.id, ping.json().id)).delivery.status, 'succeeded');
  });
});

describe('URL rules and SSRF', () => {
  test('http:, credentials and internal IP literals are refused at creation', async () => {
    const ws = await strict.workspace();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://example.com/hook',
      'ftp://example.com/hook',
      'https://user:secret@example.com/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://10.0.0.5/hook',
      'https://169.254.169.254/latest/meta-data',
      'not a url',
    ]) {
      const res = await call(strict.app, ws.owner, 'POST', '/api/v1/webhooks', {
        name: 'x',
        url,
        eventTypes: ['*'],
      });
      assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'INVALID_WEBHOOK_URL', url);
    }
    const wsLoose = await t.workspace();
    const credentials = await call(t.app, wsLoose.owner, 'POST', '/api/v1/webhooks', {
      name: 'x',
      url: 'http://user:pw@127.0.0.1:1/hook',
      eventTypes: ['*'],
    });
    assert.equal(credentials.statusCode, 422, 'credentials are refused even on loopback');
    const plain = await call(t.app, wsLoose.owner, 'POST', '/api/v1/webhooks', {
      name: 'x',
      url: 'http://example.com/hook',
      eventTypes: ['*'],
    });
    assert.equal(plain.statusCode, 422, 'http: only to loopback, even when loopback is allowed');
    const update = await call(strict.app, ws.owner, 'POST', '/api/v1/webhooks', {
      name: 'ok',
      url: 'https://example.com/hook',
      eventTypes: ['*'],
    });
    assert.equal(update.statusCode, 201);
    const patch = await call(strict.app, ws.owner, 'PATCH', `/api/v1/webhooks/${update.json().webhook.id}`, {
      url: 'https://192.168.1.1/',
    });
    assert.equal(patch.statusCode, 422);
  });

  test('a host name that resolves to 127.0.0.1 is refused at delivery time as a failed attempt', async () => {
    const ws = await strict.workspace();
    const rx = await receiver();
    const port = new URL(rx.url).port;
    const hook = await createHook(strict, ws, `https://localhost:${port}/hook`);
    const ping = await call(strict.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    await strict.worker.drain();
    assert.equal(rx.received.length, 0, 'nothing was sent');
    const log = await detail(strict, ws, hook.id, ping.json().id);
    assert.equal(log.delivery.status, 'failed');
    assert.equal(log.attempts.length, 1);
    assert.equal(log.attempts[0]!.statusCode, null);
    assert.match(log.attempts[0]!.error!, /Refused: localhost resolves to .*loopback address/);
  });

  test('address classes', () => {
    const cases: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '::ffff:127.0.0.1': 'loopback',
      '10.1.2.3': 'private',
      '172.20.0.1': 'private',
      '192.168.0.10': 'private',
      '100.64.0.1': 'private',
      'fd00::1': 'private',
      '169.254.169.254': 'link-local',
      'fe80::1': 'link-local',
      '0.0.0.0': 'reserved',
      '224.0.0.1': 'reserved',
      '8.8.8.8': 'public',
      '2606:4700:4700::1111': 'public',
    };
    for (const [ip, kind] of Object.entries(cases)) assert.equal(classifyAddress(ip), kind, ip);
    const loose = { allowLoopback: true, allowPrivate: true };
    assert.equal(checkWebhookUrl('https://169.254.169.254/', loose).ok, false, 'link-local never');
    assert.equal(checkWebhookUrl('https://10.0.0.1/', loose).ok, true);
    assert.equal(checkWebhookUrl('http://localhost:3000/x', loose).ok, true);
  });
});

describe('secrets, rotation and isolation', () => {
  test('the secret is never in list or get; a rotation signs with both secrets for 24 hours', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    const hook = await createHook(t, ws, rx.url);
    const list = await call(t.app, ws.owner, 'GET', '/api/v1/webhooks');
    const get = await call(t.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}`);
    for (const res of [list, get]) {
      assert.equal(res.statusCode, 200);
      assert.ok(!res.body.includes(hook.secret), 'no secret');
      assert.ok(!res.body.includes('whsec_'), 'no secret');
    }
    const rotated = await call(t.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/rotate-secret`);
    assert.equal(rotated.statusCode, 200, rotated.body);
    const secret = rotated.json().secret as string;
    assert.notEqual(secret, hook.secret);
    assert.ok(!(await call(t.app, ws.owner, 'GET', `/api/v1/webhooks/${hook.id}`)).body.includes('whsec_'));
    const events = await call(
      t.app,
      ws.owner,
      'GET',
      `/api/v1/events?entityType=webhook&entityId=${hook.id}`,
    );
    assert.ok(!events.body.includes('whsec_'), 'no secret in the audit log');

    await call(t.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    await t.worker.drain();
    const during = String(rx.received.at(-1)!.headers['steward-signature']);
    assert.match(during, /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    const body = rx.received.at(-1)!.body;
    assert.ok(verifyStewardSignature(secret, during, body, { now: nowMs(t) }));
    assert.ok(verifyStewardSignature(hook.secret, during, body, { now: nowMs(t) }));

    t.clock.advance(24 * 3_600_000 + 1_000);
    await call(t.app, ws.owner, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    await t.worker.drain();
    const later = String(rx.received.at(-1)!.headers['steward-signature']);
    assert.match(later, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifyStewardSignature(secret, later, rx.received.at(-1)!.body, { now: nowMs(t) }));
    assert.ok(!verifyStewardSignature(hook.secret, later, rx.received.at(-1)!.body, { now: nowMs(t) }));
  });

  test("another workspace's webhook and delivery ids answer 404", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const rx = await receiver();
    const theirs = await createHook(t, b, rx.url);
    const ping = (await call(t.app, b.owner, 'POST', `/api/v1/webhooks/${theirs.id}/test`)).json();
    const mine = await createHook(t, a, rx.url);
    for (const [method, url] of [
      ['GET', `/api/v1/webhooks/${theirs.id}`],
      ['DELETE', `/api/v1/webhooks/${theirs.id}`],
      ['POST', `/api/v1/webhooks/${theirs.id}/rotate-secret`],
      ['GET', `/api/v1/webhooks/${theirs.id}/deliveries`],
      ['GET', `/api/v1/webhooks/${theirs.id}/deliveries/${ping.id}`],
      ['GET', `/api/v1/webhooks/${mine.id}/deliveries/${ping.id}`],
      ['POST', `/api/v1/webhooks/${mine.id}/deliveries/${ping.id}/redeliver`],
    ] as const) {
      const res = await call(t.app, a.owner, method, url);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    }
    const list = (await call(t.app, a.owner, 'GET', '/api/v1/webhooks')).json().items;
    assert.deepEqual(
      list.map((w: { id: number }) => w.id),
      [mine.id],
    );
  });

  test('an agent cannot manage webhooks', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const res = await call(t.app, agent, 'GET', '/api/v1/webhooks');
    assert.equal(res.statusCode, 403);
  });
});

describe('enqueueSignedCall: the one mechanism for channels and resolution actions', () => {
  test('a direct call to a URL and secret of the calling module is signed, retried and logged', async () => {
    const ws = await t.workspace();
    const rx = await receiver();
    rx.replies.push({ status: 500 });
    const secret = 'whsec_billing-system-secret';
    const delivery = await t.deps.db.transaction((tx) =>
      enqueueSignedCall(
        tx,
        {
          workspaceId: ws.id,
          target: { url: rx.url, secret },
          eventType: 'refund.requested',
          data: { amount: 1250, currency: 'EUR' },
          entity: { type: 'conversation', id: 42 },
          actor: { type: 'person', id: ws.owner.personId },
        },
        t.clock.now(),
      ),
    );
    await t.worker.drain();
    t.clock.advance(5_000);
    await t.worker.drain();
    assert.equal(rx.received.length, 2);
    const last = rx.received[1]!;
    assert.equal(last.headers['steward-delivery'], String(delivery.id));
    assert.equal(last.headers['steward-event'], 'refund.requested');
    assert.ok(
      verifyStewardSignature(secret, String(last.headers['steward-signature']), last.body, { now: nowMs(t) }),
    );
    const envelope = JSON.parse(last.body);
    assert.equal(envelope.id, delivery.id, 'no event behind it: the delivery id');
    assert.deepEqual(envelope.entity, { type: 'conversation', id: 42 });
    assert.deepEqual(envelope.data, { amount: 1250, currency: 'EUR' });
    const rows = await t.deps.db.execute(
      `select status, attempts from webhook_deliveries where workspace_id = ${ws.id} and id = ${delivery.id}`,
    );
    assert.deepEqual(rows.rows[0], { status: 'succeeded', attempts: 2 });
  });
});

test('event type patterns', () => {
  assert.ok(matchesEventType(['*'], 'conversation.solved'));
  assert.ok(matchesEventType(['conversation.*'], 'conversation.solved'));
  assert.ok(!matchesEventType(['conversation.*'], 'conversations.x'));
  assert.ok(!matchesEventType(['conversation.*'], 'customer.created'));
  assert.ok(matchesEventType(['customer.created', 'x.y'], 'customer.created'));
  assert.ok(!matchesEventType(['*'], 'webhook.paused'));
  assert.ok(!matchesEventType(['webhook.*'], 'webhook.created'));
});
