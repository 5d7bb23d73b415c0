import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp({ attachmentMaxBytes: 2000 });
const ws = await t.workspace();
const other = await t.workspace();
const agent = await ws.person('agent');
const rows = async (q: string) => (await t.deps.db.execute(q)).rows as Array<Record<string, unknown>>;

let address = 0;
/** Each test posts from its own address, so the per-address limit counts only its own requests. */
const nextAddress = () => `10.0.${Math.floor(++address / 250)}.${address % 250}`;

type Part = { name: string; value: string } | { name: string; filename: string; content: string | Buffer };
function multipart(parts: Part[]) {
  const boundary = `----form${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file =
      'filename' in p ? `; filename="${p.filename}"\r\nContent-Type: application/octet-stream` : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n\r\n`),
    );
    chunks.push(Buffer.from('value' in p ? p.value : p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  };
}

function fields(values: Record<string, string>, files: Part[] = []): Part[] {
  return [...Object.entries(values).map(([name, value]) => ({ name, value })), ...files];
}

async function submit(
  key: string,
  parts: Part[],
  options: { headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  const body = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/forms/${key}/submissions`,
    headers: { ...body.headers, ...options.headers },
    payload: body.payload,
    remoteAddress: options.remoteAddress ?? nextAddress(),
  });
}

async function newForm(caller = ws.owner, body: Record<string, unknown> = {}) {
  const res = await call(t.app, caller, 'POST', '/api/v1/contact-forms', { name: 'Contact us', ...body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; publicKey: string; path: string };
}

const webformConversations = (workspaceId: number) =>
  rows(
    `select id, subject, team_id from conversations where workspace_id = ${workspaceId} and channel = 'webform' order by id`,
  );

test('admins keep contact forms; agents may not; another workspace sees none of them', async () => {
  const form = await newForm(ws.owner, { intro: 'We answer within a day', askPhone: true });
  assert.match(form.publicKey, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(form.path, `/forms/${form.publicKey}`);
  assert.equal((await call(t.app, agent, 'GET', '/api/v1/contact-forms')).statusCode, 403);
  assert.equal((await call(t.app, other.owner, 'GET', `/api/v1/contact-forms/${form.id}`)).statusCode, 404);
  const patched = await call(t.app, ws.owner, 'PATCH', `/api/v1/contact-forms/${form.id}`, {
    allowedOrigins: ['https://shop.example.com'],
  });
  assert.equal(patched.statusCode, 200, patched.body);
  const bad = await call(t.app, ws.owner, 'PATCH', `/api/v1/contact-forms/${form.id}`, {
    allowedOrigins: ['https://shop.example.com/path'],
  });
  assert.equal(bad.statusCode, 400);
  const theirTeam = await call(t.app, other.owner, 'POST', '/api/v1/teams', { name: 'Theirs' });
  const foreign = await call(t.app, ws.owner, 'POST', '/api/v1/contact-forms', {
    name: 'x',
    teamId: theirTeam.json().id,
  });
  assert.equal(foreign.statusCode, 404, 'another workspace’s team is unknown');
  const listed = await call(t.app, other.owner, 'GET', '/api/v1/contact-forms');
  assert.deepEqual(listed.json().items, []);
});

test('a sent form becomes one webform conversation with its files, even when sent twice', async () => {
  const team = await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Front desk' });
  const form = await newForm(ws.owner, { teamId: team.json().id });
  const parts = fields(
    {
      website: '',
      submissionId: 'sub-0001-abcdef',
      name: 'Robin Customer',
      email: 'Robin@Example.com',
      subject: 'Broken kettle',
      message: 'It leaks. <script>alert(1)</script>',
    },
    [
      { name: 'attachments', filename: 'photo.txt', content: 'a photo, honestly' },
      { name: 'attachments', filename: '', content: '' },
    ],
  );
  const first = await submit(form.publicKey, parts);
  assert.equal(first.statusCode, 202, first.body);
  assert.deepEqual(first.json(), { status: 'received' });
  const again = await submit(form.publicKey, parts);
  assert.equal(again.statusCode, 202, again.body);
  const conversations = await webformConversations(ws.id);
  const mine = conversations.filter((c) => c.subject === 'Broken kettle');
  assert.equal(mine.length, 1, 'a double submit makes one conversation');
  assert.equal(Number(mine[0]!.team_id), team.json().id);
  const conversationId = Number(mine[0]!.id);
  const timeline = await call(t.app, agent, 'GET', `/api/v1/conversations/${conversationId}/messages`);
  const [message] = timeline.json().items;
  assert.equal(message.direction, 'inbound');
  assert.equal(message.channel, 'webform');
  assert.equal(message.body, 'It leaks. <script>alert(1)</script>', 'kept as text, never as markup');
  assert.equal(message.html ?? null, null);
  assert.deepEqual(
    message.attachments.map((a: { filename: string }) => a.filename),
    ['photo.txt'],
  );
  const file = await call(t.app, agent, 'GET', `/api/v1/attachments/${message.attachments[0].id}`);
  assert.equal(file.body, 'a photo, honestly');
  const customer = await rows(
    `select c.name from customers c join conversations v on v.customer_id = c.id and v.workspace_id = c.workspace_id where v.id = ${conversationId}`,
  );
  assert.equal(customer[0]!.name, 'Robin Customer');
});

test('a filled honeypot is answered like a real message and stores nothing', async () => {
  const form = await newForm();
  const before = await rows(`select (select count(*) from conversations where workspace_id = ${ws.id}) as c,
    (select count(*) from attachments where workspace_id = ${ws.id}) as a`);
  const res = await submit(
    form.publicKey,
    fields(
      {
        website: 'http://spam.example',
        submissionId: 'sub-spam-000001',
        email: 'bot@example.com',
        message: 'Buy now',
      },
      [{ name: 'attachments', filename: 'spam.txt', content: 'spam' }],
    ),
  );
  assert.equal(res.statusCode, 202);
  assert.deepEqual(res.json(), { status: 'received' });
  const after = await rows(`select (select count(*) from conversations where workspace_id = ${ws.id}) as c,
    (select count(*) from attachments where workspace_id = ${ws.id}) as a`);
  assert.deepEqual(after, before);
});

test('unknown, switched-off or malformed keys are 404; bad input is a 4xx and stores nothing', async () => {
  const form = await newForm();
  const good = { submissionId: 'sub-bad-0000001', email: 'x@example.com', message: 'hi' };
  assert.equal((await submit('nope-nope-nope-nope', fields(good))).statusCode, 404);
  assert.equal((await submit('../../etc/passwd', fields(good))).statusCode, 404);
  const before = await webformConversations(ws.id);
  for (const [values, status] of [
    [{ ...good, email: 'not an address' }, 400],
    [{ ...good, message: '   ' }, 400],
    [{ ...good, submissionId: 'short' }, 400],
    [{ ...good, unexpected: 'field' }, 400],
    [{ ...good, message: 'nul \u0000 inside' }, 400],
    [{ ...good, subject: 'x'.repeat(201) }, 400],
  ] as const) {
    const res = await submit(form.publicKey, fields(values as Record<string, string>));
    assert.equal(res.statusCode, status, `${JSON.stringify(values)}: ${res.body}`);
    assert.ok(res.json().error.code);
  }
  const tooBig = await submit(
    form.publicKey,
    fields(good, [{ name: 'attachments', filename: 'big.bin', content: Buffer.alloc(5000, 1) }]),
  );
  assert.equal(tooBig.statusCode, 413, tooBig.body);
  const json = await t.app.inject({
    method: 'POST',
    url: `/api/v1/forms/${form.publicKey}/submissions`,
    payload: good,
  });
  assert.equal(json.statusCode, 415);
  assert.deepEqual(await webformConversations(ws.id), before);
  await call(t.app, ws.owner, 'PATCH', `/api/v1/contact-forms/${form.id}`, { active: false });
  assert.equal((await submit(form.publicKey, fields(good))).statusCode, 404, 'switched off');
  assert.equal((await t.app.inject({ url: `/forms/${form.publicKey}` })).statusCode, 404);
});

test('only the form’s allowed origins may post from a browser page, and they get CORS headers', async () => {
  const form = await newForm(ws.owner, { allowedOrigins: ['https://shop.example.com'] });
  const post = (origin: string, id: string) =>
    submit(form.publicKey, fields({ submissionId: id, email: 'o@example.com', message: 'from the shop' }), {
      headers: { origin },
    });
  const evil = await post('https://evil.example', 'sub-origin-0001');
  assert.equal(evil.statusCode, 403);
  const shop = await post('https://shop.example.com', 'sub-origin-0002');
  assert.equal(shop.statusCode, 202, shop.body);
  assert.equal(shop.headers['access-control-allow-origin'], 'https://shop.example.com');
  const preflight = await t.app.inject({
    method: 'OPTIONS',
    url: `/api/v1/forms/${form.publicKey}/submissions`,
    headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.statusCode, 204);
  const page = await t.app.inject({ url: `/forms/${form.publicKey}?embed=1` });
  assert.match(
    String(page.headers['content-security-policy']),
    /frame-ancestors https:\/\/shop\.example\.com/,
  );
  const hosted = await t.app.inject({ url: `/forms/${form.publicKey}` });
  assert.match(String(hosted.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(hosted.headers['x-frame-options'], 'DENY');
});

test('the hosted page: accessible labels, a fresh submission id, a browser post redirects to thanks', async () => {
  const form = await newForm(ws.owner, { intro: '<b>not bold</b>', askPhone: true });
  const page = await t.app.inject({
    url: `/forms/${form.publicKey}`,
    headers: { 'accept-language': 'de-DE' },
  });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="de">/);
  assert.match(page.body, /&lt;b&gt;not bold&lt;\/b&gt;/, 'the intro is text');
  assert.match(page.body, /<label for="email">Ihre E-Mail-Adresse<\/label>/);
  assert.match(page.body, /name="phone"/);
  const id = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(id);
  assert.match(String(page.headers['content-security-policy']), /script-src 'none'/);
  const sent = await submit(
    form.publicKey,
    fields({ submissionId: id, email: 'b@example.com', message: 'hello' }),
    {
      headers: { accept: 'text/html,application/xhtml+xml' },
    },
  );
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, `/forms/${form.publicKey}?sent=1`);
  const thanks = await t.app.inject({ url: String(sent.headers.location) });
  assert.match(thanks.body, /Thank you!/);
  assert.match(thanks.body, new RegExp(`<a href="/portal/${ws.slug}">`));
});

test('form posts are limited per address', async () => {
  const form = await newForm();
  const address = '192.0.2.77';
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await submit(
      form.publicKey,
      fields({
        submissionId: `sub-rate-${String(i).padStart(6, '0')}`,
        email: 'r@example.com',
        message: 'again',
      }),
      { remoteAddress: address },
    );
    statuses.push(res.statusCode);
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(202));
  assert.equal(statuses[10], 429);
  const elsewhere = await submit(
    form.publicKey,
    fields({ submissionId: 'sub-rate-other01', email: 'r@example.com', message: 'again' }),
  );
  assert.equal(elsewhere.statusCode, 202, 'another address is not limited');
});
