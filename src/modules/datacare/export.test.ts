import assert from 'node:assert/strict';
import { test } from 'node:test';
import yauzl from 'yauzl';
import { call, createTestApp } from '../../../test/support/app.js';
import { multipartBody } from '../../../test/support/multipart.js';

const t = await createTestApp();
const ws = await t.workspace();
const agent = await ws.person('agent');
const rows = async (q: string) => (await t.deps.db.execute(q)).rows as Array<Record<string, unknown>>;

/** Every entry of a zip, as text or bytes. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const jsonl = (b: Buffer | undefined) =>
  (b ?? Buffer.alloc(0))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('an export is a job with progress; its archive holds every table, the files and a manifest', async () => {
  const customer = await call(t.app, ws.owner, 'POST', '/api/v1/customers', {
    name: 'Ada Export',
    identities: [{ kind: 'email', value: 'ada@example.com' }],
  });
  const opened = await call(t.app, agent, 'POST', '/api/v1/conversations', {
    subject: 'Invoice',
    channel: 'email',
    customer: { id: customer.json().id },
    message: { body: 'Where is my invoice?' },
  });
  const conversationId = opened.json().conversation.id;
  const file = multipartBody({ filename: 'invoice.txt', content: 'INVOICE 42' });
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${agent.token}`, ...file.headers },
    payload: file.payload,
  });
  const attachmentId = upload.json().attachment.id;
  await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'outbound',
    body: 'Here it is',
    attachmentIds: [attachmentId],
  });

  const mailbox = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', {
    address: 'export-help@acme.test',
    name: 'Help',
  });
  const imap = await call(t.app, ws.owner, 'PUT', `/api/v1/mailboxes/${mailbox.json().mailbox.id}/imap`, {
    host: '127.0.0.1',
    port: 1,
    security: 'none',
    username: 'help',
    password: 'imap-secret-never-exported',
    enabled: false,
  });
  assert.equal(imap.statusCode, 200, imap.body);
  const bridge = await call(t.app, ws.owner, 'POST', '/api/v1/messaging-bridges', {
    name: 'SMS',
    channel: 'sms',
  });
  const secrets = [mailbox.json().inboundSecret as string, bridge.json().secret as string];
  const promised = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/commitments`, {
    text: 'Send the corrected invoice',
    due: 'in 2 days',
  });
  assert.equal(promised.statusCode, 201, promised.body);

  assert.equal((await call(t.app, agent, 'POST', '/api/v1/exports', {})).statusCode, 403, 'admins only');
  const requested = await call(t.app, ws.owner, 'POST', '/api/v1/exports', {});
  assert.equal(requested.statusCode, 202, requested.body);
  const id = requested.json().export.id;
  assert.equal(requested.json().export.status, 'queued');
  const early = await call(t.app, ws.owner, 'GET', `/api/v1/exports/${id}/download`);
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().error.code, 'EXPORT_NOT_READY');

  await t.worker.drain();
  const status = (await call(t.app, ws.owner, 'GET', `/api/v1/exports/${id}`)).json().export;
  assert.equal(status.status, 'done', JSON.stringify(status));
  assert.ok(status.rowsTotal > 0);
  assert.equal(status.rowsDone, status.rowsTotal);
  const listed = (await call(t.app, ws.owner, 'GET', '/api/v1/exports')).json().items;
  assert.equal(listed[0].id, id);

  const res = await call(t.app, ws.owner, 'GET', `/api/v1/exports/${id}/download`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /^attachment;/);
  const entries = await unzip(res.rawPayload);
  for (const name of [
    'manifest.json',
    'people.jsonl',
    'teams.jsonl',
    'customers.jsonl',
    'conversations.jsonl',
    'messages.jsonl',
    'events.jsonl',
    'attachments.jsonl',
    'mailboxes.jsonl',
    'messaging_bridges.jsonl',
    'commitments.jsonl',
  ])
    assert.ok(entries.has(name), `${name} in the archive`);
  assert.equal(entries.get(`attachments/${attachmentId}/invoice.txt`)?.toString(), 'INVOICE 42');

  const manifest = JSON.parse(entries.get('manifest.json')!.toString());
  assert.equal(manifest.format, 'steward-workspace-export');
  assert.equal(manifest.version, 1);
  assert.equal(manifest.workspaceId, ws.id);
  assert.equal(manifest.counts.people, 2);
  assert.equal(manifest.counts.attachmentFiles, 1);

  const people = jsonl(entries.get('people.jsonl'));
  assert.deepEqual(people.map((p) => p.email).sort(), [ws.owner.email, agent.email].sort());
  const everything = [...entries.values()].map((b) => b.toString('latin1')).join('\n');
  const leak = /password|argon2|token_?hash|tokenHash|csrf|secret/i.exec(everything);
  const around = leak ? everything.slice(Math.max(0, leak.index - 80), leak.index + 40) : '';
  assert.equal(leak, null, `no secrets in the archive: ${around}`);
  for (const secret of secrets) assert.ok(!everything.includes(secret.slice(4)), 'no channel secret');
  assert.deepEqual(
    jsonl(entries.get('mailboxes.jsonl')).map((m) => [m.address, m.imapHost]),
    [['export-help@acme.test', '127.0.0.1']],
  );
  assert.deepEqual(
    jsonl(entries.get('messaging_bridges.jsonl')).map((b) => b.channel),
    ['sms'],
  );
  assert.deepEqual(
    jsonl(entries.get('commitments.jsonl')).map((c) => [c.conversationId, c.ownerId, c.text, c.status]),
    [[conversationId, agent.personId, 'Send the corrected invoice', 'open']],
  );
  const customers = jsonl(entries.get('customers.jsonl'));
  const ada = customers.find((c) => c.name === 'Ada Export')!;
  assert.deepEqual(
    (ada.identities as Array<{ value: string }>).map((i) => i.value),
    ['ada@example.com'],
  );
  const messages = jsonl(entries.get('messages.jsonl'));
  assert.ok(messages.some((m) => m.bodyText === 'Where is my invoice?'));
  const attachments = jsonl(entries.get('attachments.jsonl'));
  assert.equal(attachments[0]!.filename, 'invoice.txt');
  assert.ok(!('blobKey' in attachments[0]!));
  assert.ok(jsonl(entries.get('events.jsonl')).some((e) => e.type === 'export.requested'));

  t.clock.advance(7 * 24 * 60 * 60_000 + 1);
  await t.worker.drain();
  const expired = await call(t.app, ws.owner, 'GET', `/api/v1/exports/${id}/download`);
  assert.equal(expired.statusCode, 409);
  assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/exports/${id}`)).json().export.status, 'expired');
  const [left] = await rows(
    `select blob_key from workspace_exports where workspace_id = ${ws.id} and id = ${id}`,
  );
  assert.equal(left!.blob_key, null, 'the archive is gone');
});

test('the total is counted exactly in a small workspace, else estimated; progress never passes 100 %', async () => {
  const { estimateRows, tableNames } = await import('./export.repo.js');
  const { exportProgress } = await import('./export.service.js');
  const small = await t.workspace();
  const opened = await call(t.app, small.owner, 'POST', '/api/v1/conversations', {
    subject: 'Small',
    channel: 'email',
    customer: { email: 'small@example.com' },
    message: { body: 'just a few rows' },
  });
  assert.equal(opened.statusCode, 201, opened.body);
  await t.worker.drain(); // what the event consumers add (matters, sentiment) is there before the count

  const requested = await call(t.app, small.owner, 'POST', '/api/v1/exports', {});
  assert.equal(requested.statusCode, 202, requested.body);
  const counted = await estimateRows(t.deps.db, small.id);
  assert.equal(counted.exact, true);
  for (const [table, name] of Object.entries(tableNames)) {
    const [row] = await rows(`select count(*)::int as n from ${name} where workspace_id = ${small.id}`);
    assert.equal(counted.totals[table as keyof typeof counted.totals], row!.n, table);
  }
  const estimated = await estimateRows(t.deps.db, small.id, 0);
  assert.equal(estimated.exact, false, 'above the threshold the planner’s estimate stands');
  for (const n of Object.values(estimated.totals)) assert.ok(Number.isInteger(n) && n >= 0);

  await t.worker.drain();
  const done = (await call(t.app, small.owner, 'GET', `/api/v1/exports/${requested.json().export.id}`)).json()
    .export;
  const total = Object.values(counted.totals).reduce((a, b) => a + b, 0);
  assert.deepEqual([done.status, done.rowsDone, done.rowsTotal], ['done', total, total]);

  // An estimate lower than the rows there are: the total grows with them.
  const progress = exportProgress(10);
  assert.deepEqual(progress.now(), { rowsDone: 0, rowsTotal: 10 });
  assert.deepEqual(progress.add(4), { rowsDone: 4, rowsTotal: 10 });
  assert.deepEqual(progress.add(20), { rowsDone: 24, rowsTotal: 24 });
  assert.deepEqual(exportProgress(-5).now(), { rowsDone: 0, rowsTotal: 0 });
});
