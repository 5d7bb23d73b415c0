import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { generatedBytes, multipartBody } from '../../../test/support/multipart.js';
import { CHUNK_BYTES } from './blob-store.js';

const t = await createTestApp();
const ws = await t.workspace();
const agent = await ws.person('agent');
const colleague = await ws.person('agent');
const executive = await ws.person('executive');
const other = await t.workspace();
const rows = async (q: string) => (await t.deps.db.execute(q)).rows as Array<Record<string, unknown>>;
const defaults = { ...t.deps.settings };
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(
  caller: Caller,
  file: { filename: string; contentType?: string; content: Buffer | string | AsyncIterable<Buffer> },
) {
  const body = multipartBody(file);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${caller.token}`, ...body.headers },
    payload: body.payload,
  });
}

async function uploaded(caller: Caller, file: Parameters<typeof upload>[1]) {
  const res = await upload(caller, file);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().attachment as { id: number; contentType: string; size: number; sha256: string };
}

async function conversation(caller: Caller = ws.owner): Promise<number> {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Files',
    channel: 'email',
    customer: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
    message: { body: 'see attached' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id;
}

const download = (caller: Caller, id: number) => call(t.app, caller, 'GET', `/api/v1/attachments/${id}`);
const storedCounts = async (workspaceId: number) =>
  (
    await rows(`select (select count(*) from attachments where workspace_id = ${workspaceId}) as attachments,
      (select count(*) from blobs where workspace_id = ${workspaceId}) as blobs,
      (select count(*) from blob_chunks where workspace_id = ${workspaceId}) as chunks`)
  )[0]!;

test('an upload is pending, hashed and typed by content; only its uploader sees it until it is attached', async () => {
  const text = 'Order 4711 arrived broken.\nPlease advise.\n';
  const a = await uploaded(agent, { filename: 'notes.txt', contentType: 'application/pdf', content: text });
  assert.equal(a.contentType, 'text/plain', 'sniffed, not the claimed application/pdf');
  assert.equal(a.size, Buffer.byteLength(text));
  assert.equal(a.sha256, createHash('sha256').update(text).digest('hex'));

  const mine = await download(agent, a.id);
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.body, text);
  assert.equal(mine.headers['content-type'], 'text/plain; charset=utf-8');
  assert.match(String(mine.headers['content-disposition']), /^inline; filename="notes.txt"/);
  assert.equal(mine.headers['x-content-type-options'], 'nosniff');
  assert.equal((await download(colleague, a.id)).statusCode, 404, 'pending: not yet anyone else’s');

  const conversationId = await conversation();
  const note = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'note',
    body: 'the customer’s photo',
    attachmentIds: [a.id],
  });
  assert.equal(note.statusCode, 201, note.body);
  assert.deepEqual(note.json().message.attachments, [
    { id: a.id, filename: 'notes.txt', contentType: 'text/plain', size: a.size },
  ]);
  const read = await call(t.app, executive, 'GET', `/api/v1/conversations/${conversationId}`);
  const listed = (read.json().messages as Array<{ attachments: unknown[] }>).flatMap((m) => m.attachments);
  assert.deepEqual(listed, [{ id: a.id, filename: 'notes.txt', contentType: 'text/plain', size: a.size }]);
  assert.equal((await download(colleague, a.id)).body, text, 'attached: whoever reads the conversation');
  assert.equal((await download(executive, a.id)).statusCode, 200);
  assert.equal((await download(other.owner, a.id)).statusCode, 404, 'never another workspace');

  const again = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'note',
    body: 'twice?',
    attachmentIds: [a.id],
  });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json().error.code, 'ATTACHMENT_ALREADY_ATTACHED');
  const events = await rows(
    `select type, data from events where workspace_id = ${ws.id} and (entity_type = 'attachment' and entity_id = ${a.id} or data->'attachmentIds' @> '[${a.id}]')`,
  );
  assert.deepEqual(events.map((e) => e.type).sort(), ['attachment.uploaded', 'note.added']);
});

test("another workspace's attachment can't be attached, and nothing changes", async () => {
  const theirs = await uploaded(other.owner, { filename: 'x.txt', content: 'theirs' });
  const conversationId = await conversation();
  const before = await rows(`select * from messages where workspace_id = ${ws.id} order by id`);
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'outbound',
    body: 'here you go',
    attachmentIds: [theirs.id],
  });
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.json().error.code, 'ATTACHMENT_NOT_FOUND');
  assert.deepEqual(await rows(`select * from messages where workspace_id = ${ws.id} order by id`), before);
  const [row] = await rows(
    `select status from attachments where workspace_id = ${other.id} and id = ${theirs.id}`,
  );
  assert.equal(row!.status, 'pending');
});

test("a colleague's pending upload can't be attached: 404 like a missing id; the system may attach received files", async () => {
  const mine = await uploaded(agent, { filename: 'mine.txt', content: 'my draft' });
  const conversationId = await conversation();
  const attach = (caller: Caller, id: number) =>
    call(t.app, caller, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      direction: 'outbound',
      body: 'here you go',
      attachmentIds: [id],
    });
  const before = await rows(`select * from messages where workspace_id = ${ws.id} order by id`);
  const stolen = await attach(colleague, mine.id);
  assert.equal(stolen.statusCode, 404, stolen.body);
  const missing = await attach(colleague, 999_999_999);
  assert.deepEqual(
    { ...stolen.json().error, details: null },
    { ...missing.json().error, details: null },
    'the same answer as for an id that does not exist',
  );
  assert.deepEqual(stolen.json().error.details, { attachmentIds: [mine.id] });
  assert.equal((await attach(ws.owner, mine.id)).statusCode, 404, 'not even an admin');
  assert.deepEqual(await rows(`select * from messages where workspace_id = ${ws.id} order by id`), before);
  const [row] = await rows(
    `select status from attachments where workspace_id = ${ws.id} and id = ${mine.id}`,
  );
  assert.equal(row!.status, 'pending');
  assert.equal((await attach(agent, mine.id)).statusCode, 201, 'its uploader still can');

  // Channel intake: a received file (no uploader) is attached by the system.
  const { storeAttachment } = await import('./attachments.service.js');
  const { addMessage } = await import('../conversations/index.js');
  const received = await storeAttachment(t.deps, ws.id, {
    filename: 'scan.txt',
    source: (async function* () {
      yield Buffer.from('received by e-mail');
    })(),
    uploadedById: null,
    actor: { type: 'system', id: null },
  });
  assert.ok(received.ok);
  const byPerson = await attach(agent, received.value.id);
  assert.equal(byPerson.statusCode, 404, 'a received file is not any person’s upload');
  const bySystem = await addMessage(
    t.deps,
    ws.id,
    conversationId,
    { actor: { type: 'system', id: null }, personId: 0, canReassign: false },
    { direction: 'inbound', body: 'see the scan', attachmentIds: [received.value.id] },
  );
  assert.ok(bySystem.ok, JSON.stringify(bySystem));
  assert.deepEqual(
    bySystem.value.message.attachments.map((x) => x.id),
    [received.value.id],
  );
});

test('a hostile upload (HTML claiming to be a PNG) is served as a download of what it really is', async () => {
  const html = '<!DOCTYPE html><html><body><script>fetch("/api/v1/people")</script></body></html>';
  const a = await uploaded(ws.owner, { filename: 'cat.png', contentType: 'image/png', content: html });
  assert.equal(a.contentType, 'text/html');
  const res = await download(ws.owner, a.id);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(res.headers['content-disposition']), /^attachment;/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(String(res.headers['content-security-policy']), /sandbox/);

  const svg = await uploaded(ws.owner, {
    filename: 'logo.svg',
    content: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
  });
  assert.equal(svg.contentType, 'image/svg+xml');
  assert.match(String((await download(ws.owner, svg.id)).headers['content-disposition']), /^attachment;/);

  const png = await uploaded(ws.owner, { filename: 'dot.txt', contentType: 'text/html', content: PNG });
  assert.equal(png.contentType, 'image/png');
  const image = await download(ws.owner, png.id);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.match(String(image.headers['content-disposition']), /^inline;/);
  assert.deepEqual(image.rawPayload, PNG);

  const unknown = await uploaded(ws.owner, { filename: 'blob.bin', content: Buffer.from([0, 1, 2, 3, 254]) });
  assert.equal(unknown.contentType, 'application/octet-stream');
  assert.match(String((await download(ws.owner, unknown.id)).headers['content-disposition']), /^attachment;/);
});

test('file names are made safe and sent in RFC 5987 form', async () => {
  const a = await uploaded(ws.owner, { filename: "../../etc/Grüße; 'x'\u0007.txt", content: 'hi' });
  const res = await download(ws.owner, a.id);
  assert.equal(
    res.headers['content-disposition'],
    `inline; filename="Gr__e; 'x'.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%3B%20%27x%27.txt`,
  );
  const dotted = await uploaded(ws.owner, { filename: 'C:\\temp\\..hidden', content: 'hi' });
  assert.match(
    String((await download(ws.owner, dotted.id)).headers['content-disposition']),
    /filename="hidden"/,
  );
});

test('limits: a file over the limit is a 413 and leaves nothing; so is a message over the total', async () => {
  t.deps.settings.attachmentMaxBytes = 100_000;
  t.deps.settings.messageAttachmentsMaxBytes = 150_000;
  after(() => Object.assign(t.deps.settings, defaults));
  const before = await storedCounts(ws.id);
  const big = await upload(ws.owner, { filename: 'big.bin', content: generatedBytes(400_000) });
  assert.equal(big.statusCode, 413, big.body);
  assert.equal(big.json().error.code, 'ATTACHMENT_TOO_LARGE');
  assert.deepEqual(await storedCounts(ws.id), before, 'no attachment, blob or chunk left behind');

  const one = await uploaded(ws.owner, { filename: 'a.bin', content: generatedBytes(90_000) });
  const two = await uploaded(ws.owner, { filename: 'b.bin', content: generatedBytes(90_000) });
  const conversationId = await conversation();
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'outbound',
    body: 'two files',
    attachmentIds: [one.id, two.id],
  });
  assert.equal(res.statusCode, 413, res.body);
  assert.equal(res.json().error.code, 'ATTACHMENTS_TOO_LARGE');
  const states = await rows(
    `select status from attachments where workspace_id = ${ws.id} and id in (${one.id}, ${two.id})`,
  );
  assert.deepEqual(
    states.map((s) => s.status),
    ['pending', 'pending'],
  );
});

test('bad uploads: not multipart, no file part, a broken body', async () => {
  const before = await storedCounts(ws.id);
  const json = await call(t.app, ws.owner, 'POST', '/api/v1/attachments', { file: 'x' });
  assert.equal(json.statusCode, 415, json.body);
  assert.equal(json.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');

  const boundary = 'xyz';
  const headers = {
    authorization: `Bearer ${ws.owner.token}`,
    'content-type': `multipart/form-data; boundary=${boundary}`,
  };
  const fieldOnly = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers,
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
  });
  assert.equal(fieldOnly.statusCode, 400, fieldOnly.body);
  assert.equal(fieldOnly.json().error.code, 'FILE_MISSING');

  const cut = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers,
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${'x'.repeat(300_000)}`,
  });
  assert.equal(cut.statusCode, 400, cut.body);
  assert.equal(cut.json().error.code, 'MALFORMED_MULTIPART');
  const noBoundary = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { ...headers, 'content-type': 'multipart/form-data' },
    payload: 'garbage',
  });
  assert.ok([400, 415].includes(noBoundary.statusCode), noBoundary.body);
  assert.deepEqual(await storedCounts(ws.id), before);
});

test('several megabytes stream through in 256 KiB chunks, in and out', async () => {
  const size = 9 * 1024 * 1024 + 123;
  const expected = createHash('sha256');
  for await (const piece of generatedBytes(size)) expected.update(piece);
  let peak = 0;
  const base = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }, 2);
  const a = await uploaded(ws.owner, { filename: 'video.bin', content: generatedBytes(size) });
  clearInterval(sampler);
  assert.equal(a.size, size);
  assert.equal(a.sha256, expected.digest('hex'));
  const [blob] = await rows(
    `select blob_key from attachments where workspace_id = ${ws.id} and id = ${a.id}`,
  );
  const blobId = Number(String(blob!.blob_key).slice(3));
  const chunks = await rows(
    `select count(*)::int as n, max(length(data))::int as biggest from blob_chunks where workspace_id = ${ws.id} and blob_id = ${blobId}`,
  );
  assert.equal(chunks[0]!.n, Math.ceil(size / CHUNK_BYTES));
  assert.equal(chunks[0]!.biggest, CHUNK_BYTES);
  // The JS heap never held the file twice (Buffers live outside it; this bounds what was retained).
  assert.ok(peak < 2 * size, `heap grew by ${peak} bytes for a ${size}-byte file`);

  const res = await download(ws.owner, a.id);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-length'], String(size));
  assert.equal(createHash('sha256').update(res.rawPayload).digest('hex'), a.sha256);
});

test('a pending upload is purged after a day; an attached one stays', async () => {
  const lonely = await uploaded(ws.owner, { filename: 'forgotten.txt', content: 'never sent' });
  const kept = await uploaded(ws.owner, { filename: 'sent.txt', content: 'sent' });
  const conversationId = await conversation();
  await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'note',
    body: 'with file',
    attachmentIds: [kept.id],
  });
  t.clock.advance(24 * 60 * 60_000 + 1);
  await t.worker.drain();
  assert.equal((await download(ws.owner, lonely.id)).statusCode, 404);
  assert.deepEqual(
    await rows(`select id from attachments where workspace_id = ${ws.id} and id = ${lonely.id}`),
    [],
  );
  assert.equal((await download(ws.owner, kept.id)).body, 'sent');
  const purged = await rows(
    `select type from events where workspace_id = ${ws.id} and entity_type = 'attachment' and entity_id = ${lonely.id}`,
  );
  assert.deepEqual(
    purged.map((e) => e.type),
    ['attachment.uploaded', 'attachment.purged'],
  );
  const incomplete = await rows(`select count(*)::int as n from blobs where status = 'writing'`);
  assert.equal(incomplete[0]!.n, 0);
});

test('with STEWARD_ATTACHMENTS_DIR the content goes to files (written whole, then renamed)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-attachments-'));
  t.deps.settings.attachmentsDir = dir;
  after(() => {
    Object.assign(t.deps.settings, defaults);
    t.deps.settings.attachmentsDir = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const before = await storedCounts(ws.id);
  const a = await uploaded(ws.owner, { filename: 'report.bin', content: generatedBytes(700_000) });
  const files = readdirSync(join(dir, String(ws.id)));
  assert.equal(files.length, 1);
  assert.deepEqual(readdirSync(join(dir, '.tmp')), [], 'no temporary file left');
  assert.equal((await storedCounts(ws.id)).blobs, before.blobs, 'nothing in the database blobs');
  const res = await download(ws.owner, a.id);
  assert.equal(createHash('sha256').update(res.rawPayload).digest('hex'), a.sha256);

  t.deps.settings.attachmentMaxBytes = 100_000;
  const big = await upload(ws.owner, { filename: 'big.bin', content: generatedBytes(300_000) });
  assert.equal(big.statusCode, 413);
  assert.equal(readdirSync(join(dir, String(ws.id))).length, 1);
  assert.deepEqual(readdirSync(join(dir, '.tmp')), []);

  t.deps.settings.attachmentMaxBytes = defaults.attachmentMaxBytes;
  const lonely = await uploaded(ws.owner, { filename: 'x.txt', content: 'x' });
  const path = join(dir, String(ws.id));
  assert.equal(readdirSync(path).length, 2);
  t.clock.advance(24 * 60 * 60_000 + 1);
  await t.worker.drain();
  assert.equal(readdirSync(path).length, 0, 'both were never attached: the purge removed their files');
  assert.ok(existsSync(path));
  assert.equal((await download(ws.owner, lonely.id)).statusCode, 404);
});
