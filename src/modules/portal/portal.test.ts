import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { multipartBody } from '../../../test/support/multipart.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';

const smtp = await startFakeSmtp();
after(() => smtp.close());
const t = await createTestApp({ smtpUrl: smtp.url, publicUrl: 'https://help.example.test/' });
const ws = await t.workspace();
const other = await t.workspace();
const agent = await ws.person('agent');

let address = 0;
const nextAddress = () => `10.1.${Math.floor(++address / 250)}.${address % 250}`;
let n = 0;
const uniqueEmail = () => `customer${++n}-${Date.now().toString(36)}@example.com`;

async function conversationOf(owner: Caller, email: string, subject = 'Where is my order?') {
  const res = await call(t.app, owner, 'POST', '/api/v1/conversations', {
    subject,
    channel: 'email',
    customer: { email, name: 'Kim' },
    message: { body: 'It has not arrived.', direction: 'inbound' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id as number;
}

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const post = (url: string, values: Record<string, string>, cookie?: string, remoteAddress = nextAddress()) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: cookie ? { steward_portal: cookie } : {},
    payload: form(values),
    remoteAddress,
  });
const page = (url: string, cookie?: string) =>
  t.app.inject({ url, cookies: cookie ? { steward_portal: cookie } : {} });

async function askForLink(slug: string, email: string): Promise<string | undefined> {
  const before = smtp.received.length;
  const res = await post(`/portal/${slug}/sign-in`, { email });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/portal/${slug}?sent=1`);
  await t.worker.drain();
  const mail = smtp.received.slice(before).find((m) => m.to.includes(email.toLowerCase()));
  return mail ? /\/auth#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
}

async function redeem(slug: string, token: string) {
  return post(`/portal/${slug}/auth`, { token });
}

async function signIn(slug: string, email: string): Promise<string> {
  const token = await askForLink(slug, email);
  assert.ok(token, 'a sign-in mail with a link');
  const res = await redeem(slug, token);
  assert.equal(res.statusCode, 303, res.body);
  const cookie = res.cookies.find((c) => c.name === 'steward_portal');
  assert.ok(cookie?.value);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.path, '/portal/');
  return cookie.value;
}

const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

test('a magic link: mailed only for a known address (same answer either way), used once, and expires', async () => {
  const email = uniqueEmail();
  await conversationOf(ws.owner, email);
  assert.equal(await askForLink(ws.slug, uniqueEmail()), undefined, 'no mail for an unknown address');
  const before = smtp.received.length;
  const token = await askForLink(ws.slug, email.toUpperCase());
  assert.ok(token);
  const mail = smtp.received.slice(before).find((m) => m.to.includes(email))!;
  assert.match(mail.text, new RegExp(`https://help\\.example\\.test/portal/${ws.slug}/auth#token=`));
  assert.equal(mail.headers['auto-submitted'], 'auto-generated');
  const stored = await t.deps.db.execute(`select token_hash from portal_links where token_hash is not null`);
  assert.ok(!JSON.stringify(stored.rows).includes(token), 'only the hash is stored');

  const opened = await page(`/portal/${ws.slug}/auth`);
  assert.equal(opened.statusCode, 200, 'opening the link (a mail scanner too) does not use it');
  assert.match(String(opened.headers['content-security-policy']), /script-src 'self'/);
  assert.equal((await redeem(other.slug, token)).statusCode, 400, "not another workspace's portal");
  const crossSite = await t.app.inject({
    method: 'POST',
    url: `/portal/${ws.slug}/auth`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    payload: form({ token }),
    remoteAddress: nextAddress(),
  });
  assert.equal(crossSite.statusCode, 403, 'another site cannot sign a visitor in');
  assert.equal(crossSite.cookies.length, 0);
  const first = await redeem(ws.slug, token);
  assert.equal(first.statusCode, 303);
  assert.equal((await redeem(ws.slug, token)).statusCode, 400, 'used once');

  const late = await askForLink(ws.slug, email);
  assert.ok(late);
  t.clock.advance(31 * 60_000);
  const expired = await redeem(ws.slug, late);
  assert.equal(expired.statusCode, 400);
  assert.match(expired.body, /unknown, used or expired/);
  assert.equal((await redeem(ws.slug, 'x'.repeat(43))).statusCode, 400);
});

test('at most three links an hour per customer; the sign-in form is limited per address', async () => {
  const email = uniqueEmail();
  await conversationOf(ws.owner, email);
  const tokens = [];
  for (let i = 0; i < 4; i++) tokens.push(await askForLink(ws.slug, email));
  assert.equal(tokens.filter(Boolean).length, 3);
  const statuses = [];
  for (let i = 0; i < 11; i++)
    statuses.push(
      (await post(`/portal/${ws.slug}/sign-in`, { email: uniqueEmail() }, undefined, '198.51.100.9'))
        .statusCode,
    );
  assert.equal(statuses.filter((s) => s === 303).length, 10);
  assert.equal(statuses[10], 429);
});

test("a customer sees only their own conversations, never notes, and another customer's id is 404", async () => {
  const mine = uniqueEmail();
  const theirs = uniqueEmail();
  const myConversation = await conversationOf(ws.owner, mine, '<img src=x onerror=alert(1)> Kettle');
  const theirConversation = await conversationOf(ws.owner, theirs, 'Their secret');
  const noteFile = multipartBody({ filename: 'internal.txt', content: 'internal only' });
  const noteUpload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${agent.token}`, ...noteFile.headers },
    payload: noteFile.payload,
  });
  const noteAttachment = noteUpload.json().attachment.id as number;
  await call(t.app, agent, 'POST', `/api/v1/conversations/${myConversation}/messages`, {
    direction: 'note',
    body: 'internal: refund is cheaper than repair',
    attachmentIds: [noteAttachment],
  });
  const file = multipartBody({ filename: '"><img src=x onerror=alert(2)>.txt', content: 'label' });
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${agent.token}`, ...file.headers },
    payload: file.payload,
  });
  assert.equal(upload.statusCode, 201, upload.body);
  await call(t.app, agent, 'POST', `/api/v1/conversations/${myConversation}/messages`, {
    direction: 'outbound',
    body: 'We are sending a new one <b>today</b>.',
    attachmentIds: [upload.json().attachment.id],
  });
  const cookie = await signIn(ws.slug, mine);
  const form = await call(t.app, ws.owner, 'POST', '/api/v1/contact-forms', { name: 'Write to us' });
  const list = await page(`/portal/${ws.slug}`, cookie);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`<a href="/forms/${form.json().publicKey}">New request</a>`));
  assert.match(list.body, /&lt;img src=x onerror=alert\(1\)&gt; Kettle/);
  assert.doesNotMatch(list.body, /<img/);
  assert.doesNotMatch(list.body, /Their secret/);
  assert.equal(list.headers['x-frame-options'], 'DENY');
  assert.match(String(list.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(list.headers['cache-control'], 'no-store');

  const timeline = await page(`/portal/${ws.slug}/conversations/${myConversation}`, cookie);
  assert.equal(timeline.statusCode, 200);
  assert.match(timeline.body, /It has not arrived\./);
  assert.match(timeline.body, /We are sending a new one &lt;b&gt;today&lt;\/b&gt;\./);
  assert.doesNotMatch(timeline.body, /refund is cheaper/, 'internal notes stay internal');
  // The status in the customer's words, not the agents'.
  const status = (await call(t.app, agent, 'GET', `/api/v1/conversations/${myConversation}`)).json()
    .conversation.status;
  assert.equal(status, 'open');
  assert.match(timeline.body, /Status: In progress</);
  assert.match(list.body, /· In progress ·/);
  assert.doesNotMatch(list.body + timeline.body, /· open ·|: open</);
  assert.match(timeline.body, /&gt;&lt;img src=x onerror=alert\(2\)&gt;\.txt/, 'a file name is text');
  assert.doesNotMatch(timeline.body, /<img/);
  const fileUrl = /href="([^"]+\/attachments\/\d+)"/.exec(timeline.body)?.[1];
  assert.ok(fileUrl, 'the reply’s file is linked');
  const download = await page(fileUrl, cookie);
  assert.equal(download.statusCode, 200);
  assert.equal(download.body, 'label');
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
  assert.match(String(download.headers['content-security-policy']), /sandbox/);
  const base = `/portal/${ws.slug}/conversations`;
  assert.equal(
    (await page(`${base}/${myConversation}/attachments/${noteAttachment}`, cookie)).statusCode,
    404,
    'a note’s file stays internal',
  );
  assert.equal((await page(fileUrl)).statusCode, 303, 'signed out: no file');

  const fileId = fileUrl.split('/').pop();
  assert.equal((await page(`${base}/${theirConversation}/attachments/${fileId}`, cookie)).statusCode, 404);
  const theirs404 = await page(`/portal/${ws.slug}/conversations/${theirConversation}`, cookie);
  assert.equal(theirs404.statusCode, 404);
  assert.equal((await page(`/portal/${ws.slug}/conversations/99999999`, cookie)).statusCode, 404);
  assert.equal((await page(`/portal/${ws.slug}/conversations/abc`, cookie)).statusCode, 404);
  const csrf = csrfOf(timeline.body);
  const reply = await post(
    `/portal/${ws.slug}/conversations/${theirConversation}/messages`,
    { csrf, body: 'hi' },
    cookie,
  );
  assert.equal(reply.statusCode, 404);
  const propose = await post(
    `/portal/${ws.slug}/conversations/${theirConversation}/proposals`,
    { csrf, body: 'x' },
    cookie,
  );
  assert.equal(propose.statusCode, 404);
  const theirMessages = await call(
    t.app,
    ws.owner,
    'GET',
    `/api/v1/conversations/${theirConversation}/messages`,
  );
  assert.equal(theirMessages.json().items.length, 1, "nothing was added to another customer's conversation");

  const elsewhere = await page(`/portal/${other.slug}`, cookie);
  assert.equal(elsewhere.statusCode, 200);
  assert.match(elsewhere.body, /name="email"/, "another workspace's portal: signed out");
  assert.equal((await page(`/portal/${other.slug}/conversations/${myConversation}`, cookie)).statusCode, 303);
  assert.equal((await page('/portal/no-such-workspace')).statusCode, 404);
  assert.equal((await page('/portal')).statusCode, 404, 'several workspaces: /portal cannot choose');
  const agentCookie = await t.app.inject({ url: `/portal/${ws.slug}`, cookies: { steward_session: 'x' } });
  assert.match(agentCookie.body, /name="email"/, "an agent's session is not a customer's");
});

test('the customer replies and proposes a solution; agents of the workspace see it; sign-out ends the session', async () => {
  const email = uniqueEmail();
  const conversationId = await conversationOf(ws.owner, email);
  const cookie = await signIn(ws.slug, email);
  const timeline = await page(`/portal/${ws.slug}/conversations/${conversationId}`, cookie);
  const csrf = csrfOf(timeline.body);
  assert.ok(csrf);

  const forged = await post(
    `/portal/${ws.slug}/conversations/${conversationId}/messages`,
    { body: 'forged' },
    cookie,
  );
  assert.equal(forged.statusCode, 403, 'no CSRF token, no write');
  const replied = await post(
    `/portal/${ws.slug}/conversations/${conversationId}/messages`,
    { csrf, body: 'Any news? <script>x</script>' },
    cookie,
  );
  assert.equal(replied.statusCode, 303);
  const messages = (
    await call(t.app, agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)
  ).json().items;
  const last = messages.at(-1);
  assert.equal(last.direction, 'inbound');
  assert.equal(last.channel, 'webform');
  assert.equal(last.body, 'Any news? <script>x</script>');
  assert.equal(messages.filter((m: { body: string }) => m.body === 'forged').length, 0);

  const assigned = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${conversationId}`, {
    assigneeId: agent.personId,
  });
  assert.equal(assigned.statusCode, 200, assigned.body);
  const proposed = await post(
    `/portal/${ws.slug}/conversations/${conversationId}/proposals`,
    { csrf, body: 'A refund of the shipping costs would make this right.' },
    cookie,
  );
  assert.equal(proposed.statusCode, 303);
  await t.worker.drain();
  const notified = await call(t.app, agent, 'GET', '/api/v1/notifications?limit=5');
  assert.ok(
    notified
      .json()
      .items.some((x: { title: string }) => x.title.startsWith('The customer proposed a solution')),
    `the assignee is told: ${notified.body}`,
  );
  const empty = await post(
    `/portal/${ws.slug}/conversations/${conversationId}/proposals`,
    { csrf, body: '  ' },
    cookie,
  );
  assert.equal(empty.statusCode, 303);
  const proposals = await call(t.app, agent, 'GET', `/api/v1/conversations/${conversationId}/proposals`);
  assert.equal(proposals.statusCode, 200);
  assert.deepEqual(
    proposals.json().items.map((p: { body: string }) => p.body),
    ['A refund of the shipping costs would make this right.'],
  );
  assert.equal(
    (await call(t.app, other.owner, 'GET', `/api/v1/conversations/${conversationId}/proposals`)).statusCode,
    404,
  );
  const shown = await page(`/portal/${ws.slug}/conversations/${conversationId}`, cookie);
  assert.match(shown.body, /A refund of the shipping costs/);

  const out = await post(`/portal/${ws.slug}/sign-out`, { csrf }, cookie);
  assert.equal(out.statusCode, 303);
  const after = await page(`/portal/${ws.slug}/conversations/${conversationId}`, cookie);
  assert.equal(after.statusCode, 303, 'the old cookie no longer signs in');
});

test('a session ends after 7 days; a merged customer follows the merge; erasure removes proposals and sessions', async () => {
  const email = uniqueEmail();
  const conversationId = await conversationOf(ws.owner, email);
  const cookie = await signIn(ws.slug, email);

  // Agents merge this customer into another: the portal shows the conversations where they went.
  const survivorEmail = uniqueEmail();
  const survivorConversation = await conversationOf(ws.owner, survivorEmail, 'The survivor’s own');
  const ids = await t.deps.db.execute(
    `select id, customer_id from conversations where workspace_id = ${ws.id} and id in (${conversationId}, ${survivorConversation})`,
  );
  const customerOf = new Map(ids.rows.map((r) => [Number(r.id), Number(r.customer_id)]));
  const merged = await call(
    t.app,
    ws.owner,
    'POST',
    `/api/v1/customers/${customerOf.get(survivorConversation)}/merge`,
    {
      sourceCustomerId: customerOf.get(conversationId),
    },
  );
  assert.equal(merged.statusCode, 200, merged.body);
  const list = await page(`/portal/${ws.slug}`, cookie);
  assert.match(list.body, /The survivor’s own/);
  assert.match(list.body, /Where is my order\?/);

  const timeline = await page(`/portal/${ws.slug}/conversations/${conversationId}`, cookie);
  const proposed = await post(
    `/portal/${ws.slug}/conversations/${conversationId}/proposals`,
    { csrf: csrfOf(timeline.body), body: 'My personal wish' },
    cookie,
  );
  assert.equal(proposed.statusCode, 303);
  const erased = await call(
    t.app,
    ws.owner,
    'POST',
    `/api/v1/customers/${customerOf.get(survivorConversation)}/erase`,
    {
      reason: 'subject_request',
    },
  );
  assert.equal(erased.statusCode, 200, erased.body);
  const left = await t.deps.db.execute(`select
    (select count(*) from conversation_proposals where workspace_id = ${ws.id} and body = 'My personal wish') as proposals,
    (select count(*) from portal_sessions where workspace_id = ${ws.id} and customer_id in (${[...customerOf.values()].join(',')})) as sessions`);
  assert.deepEqual(
    { proposals: Number(left.rows[0]!.proposals), sessions: Number(left.rows[0]!.sessions) },
    { proposals: 0, sessions: 0 },
  );
  assert.equal((await page(`/portal/${ws.slug}/conversations/${conversationId}`, cookie)).statusCode, 303);

  const later = uniqueEmail();
  await conversationOf(ws.owner, later);
  const fresh = await signIn(ws.slug, later);
  assert.match((await page(`/portal/${ws.slug}`, fresh)).body, /Your requests/);
  t.clock.advance(7 * 24 * 3600_000 + 1000);
  assert.match((await page(`/portal/${ws.slug}`, fresh)).body, /name="email"/, 'expired: signed out');
});

test("an agent's reply on the webform channel is announced to the customer by mail, with the portal link", async () => {
  const email = uniqueEmail();
  const created = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Sent by the form',
    channel: 'webform',
    customer: { email, name: 'Sam' },
    message: { body: 'Hello from the form', direction: 'inbound' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const conversationId = created.json().conversation.id as number;
  const mailsTo = () => smtp.received.filter((m) => m.to.includes(email));
  await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'note',
    body: 'internal thought',
  });
  await t.worker.drain();
  assert.equal(mailsTo().length, 0, 'a note tells the customer nothing');
  const replied = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'outbound',
    body: 'Here is our answer',
  });
  assert.equal(replied.statusCode, 201, replied.body);
  await t.worker.drain();
  await t.worker.drain();
  const [notice] = mailsTo();
  assert.ok(notice, 'one mail for the reply');
  assert.equal(mailsTo().length, 1);
  assert.match(
    notice.text,
    new RegExp(`https://help\\.example\\.test/portal/${ws.slug}/conversations/${conversationId}`),
  );
  assert.equal(notice.headers['auto-submitted'], 'auto-generated');
  assert.doesNotMatch(
    notice.raw,
    /Here is our answer|internal thought/,
    'the mail points to the portal; it carries no text',
  );
});

test('the customer sees the open promises on their conversation, with due dates; not kept ones nor suggestions', async () => {
  const email = uniqueEmail();
  const id = await conversationOf(ws.owner, email);
  const promise = async (text: string, dueAt: string) => {
    const res = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/commitments`, { text, dueAt });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as number;
  };
  const due = new Date(t.clock.now().getTime() + 3 * 86_400_000);
  await promise('Refund the <b>second</b> charge', due.toISOString());
  const done = await promise('Call you back', due.toISOString());
  await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/commitments/${done}/fulfil`, {});
  await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/messages`, {
    direction: 'outbound',
    body: 'We will send a voucher within 2 days.',
  });
  await t.worker.drain();
  const cookie = await signIn(ws.slug, email);
  const res = await page(`/portal/${ws.slug}/conversations/${id}`, cookie);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /What we promised you/);
  assert.match(res.body, /Refund the &lt;b&gt;second&lt;\/b&gt; charge/);
  assert.match(res.body, new RegExp(`datetime="${due.toISOString()}"`));
  assert.doesNotMatch(res.body, /Call you back/, 'a kept promise is no longer shown');
  assert.doesNotMatch(res.body, /<li>We will send a voucher/, 'a suggestion is not a promise yet');
  // The due time reads in the zone the promise was made in (here: no calendar, no workspace zone: UTC)…
  const shown = (body: string) => /datetime="[^"]+">([^<]+)<\/time>/.exec(body)?.[1];
  const inUtc = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  assert.match(shown(res.body) ?? '', new RegExp(`, ${inUtc.format(due)} \\(UTC\\)$`));
  // …and in the business calendar's zone once the workspace has one, in the customer's language.
  const cal = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
    name: 'Berlin office',
    timeZone: 'Europe/Berlin',
    week: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    isDefault: true,
  });
  assert.equal(cal.statusCode, 201, cal.body);
  const german = await t.app.inject({
    method: 'GET',
    url: `/portal/${ws.slug}/conversations/${id}`,
    cookies: { steward_portal: cookie },
    headers: { 'accept-language': 'de-DE' },
  });
  const inBerlin = new Intl.DateTimeFormat('de', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/Berlin',
  });
  assert.equal(shown(german.body), `${inBerlin.format(due)} (Europe/Berlin)`);
});

test('the customer sees what is granted to make it right, and what waits for approval; not rejected ones', async () => {
  const email = uniqueEmail();
  const id = await conversationOf(ws.owner, email);
  const actions = await call(t.app, agent, 'GET', '/api/v1/resolution-actions');
  const refund = (actions.json().items as Array<{ id: number; kind: string }>).find(
    (a) => a.kind === 'refund',
  )!.id;
  const limits = await call(t.app, ws.owner, 'PUT', '/api/v1/authority/limits', {
    items: [
      {
        actionId: refund,
        role: 'agent',
        personId: null,
        perAction: 50,
        perConversation: null,
        perDay: null,
        perMonth: null,
      },
    ],
  });
  assert.equal(limits.statusCode, 200, limits.body);
  const grant = async (amount: number) =>
    (
      await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/resolutions`, {
        actionId: refund,
        amount,
      })
    ).json();
  assert.equal((await grant(20)).status, 'applied');
  assert.equal((await grant(90)).status, 'pending');
  const rejected = await grant(300);
  const decided = await call(t.app, ws.owner, 'POST', `/api/v1/resolutions/${rejected.id}/reject`, {
    note: 'no',
  });
  assert.equal(decided.statusCode, 200, decided.body);
  const cookie = await signIn(ws.slug, email);
  const res = await page(`/portal/${ws.slug}/conversations/${id}`, cookie);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /What we are doing to make it right/);
  assert.match(res.body, /Refund 20\.00 EUR — granted/);
  assert.match(res.body, /Refund 90\.00 EUR — awaiting approval/);
  assert.doesNotMatch(res.body, /300\.00/, 'a rejected request is not shown');
});
