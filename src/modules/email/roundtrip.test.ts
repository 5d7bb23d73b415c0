import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { smtpClient } from '../../../test/support/mail.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';
import { startMailListener } from './smtp-listener.js';

const relay = await startFakeSmtp();
after(() => relay.close());
const t = await createTestApp({ smtpUrl: relay.url, start: '2026-03-02T10:00:00Z' });
const listener = await startMailListener(t.deps, { port: 0, host: '127.0.0.1' });
after(() => listener.close());
const client = smtpClient(listener.port);
after(() => client.close());

type Msg = {
  id: number;
  direction: string;
  channel: string;
  body: string;
  externalId: string | null;
  delivery: { state: string; detail: string | null } | null;
  email: { from: string | null; cc: string[] } | null;
};

describe('e-mail round trip over real SMTP on loopback', () => {
  it('a mail becomes a conversation, the reply goes out threaded, the answer to it lands in the same conversation', async () => {
    const ws = await t.workspace();
    const mailbox = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', {
      address: 'Support@Acme.test',
      name: 'Acme Support',
      acknowledge: true,
      signature: '{{agent}}, {{team}}',
    });
    assert.equal(mailbox.statusCode, 201, mailbox.body);
    assert.equal(mailbox.json().mailbox.address, 'support@acme.test');

    const first = await client.sendMail({
      from: 'Ann Customer <ann@example.org>',
      to: 'support@acme.test',
      subject: 'My order 1042 has not arrived',
      text: 'Hello, where is my order?\n\n-- \nAnn\nSent from my phone',
      messageId: '<first-1042@example.org>',
    });
    assert.match(first.response, /^250/);

    const list = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?status=new');
    const conversation = list
      .json()
      .items.find((c: { subject: string }) => c.subject === 'My order 1042 has not arrived');
    assert.ok(conversation, 'the mail is a conversation');
    assert.equal(conversation.channel, 'email');
    const messages = async () =>
      (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversation.id}/messages`)).json()
        .items as Msg[];
    const [received] = await messages();
    assert.equal(received!.body, 'Hello, where is my order?', 'the signature is trimmed for display');
    assert.equal(received!.externalId, '<first-1042@example.org>');
    assert.equal(received!.email?.from, 'ann@example.org');

    await t.worker.drain();
    const ack = relay.received.find((m) => m.headers['auto-submitted'] === 'auto-replied');
    assert.ok(ack, 'the acknowledgement went out');
    assert.deepEqual(ack.to, ['ann@example.org']);
    assert.equal(ack.headers['in-reply-to'], '<first-1042@example.org>');

    const reply = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversation.id}/messages`, {
      direction: 'outbound',
      body: 'It left our warehouse today.',
      cc: ['boss@example.org'],
    });
    assert.equal(reply.statusCode, 201, reply.body);
    assert.equal(reply.json().message.delivery.state, 'queued');
    await t.worker.drain();
    const out = relay.received.find((m) => m.text.includes('It left our warehouse today.'));
    assert.ok(out, 'the reply reached the relay');
    assert.deepEqual(out.to.sort(), ['ann@example.org', 'boss@example.org']);
    assert.equal(out.headers['in-reply-to'], '<first-1042@example.org>');
    assert.match(out.headers.references ?? '', /<first-1042@example\.org>/);
    assert.match(
      out.headers.subject ?? '',
      new RegExp(`^Re: My order 1042 has not arrived \\[#${conversation.id}\\]$`),
    );
    assert.match(out.headers.from ?? '', /support@acme\.test/);
    assert.match(out.text, /-- \r?\n/, 'the signature is added');
    const sent = (await messages()).find((m) => m.direction === 'outbound')!;
    assert.equal(sent.delivery?.state, 'sent');
    assert.equal(sent.externalId, out.headers['message-id']);

    // The customer answers from a client that changes the subject and keeps only In-Reply-To.
    await client.sendMail({
      from: 'ann@example.org',
      to: 'support@acme.test',
      subject: 'AW: thanks',
      text: 'Great, thank you!\n\nOn Mon, 2 Mar 2026 at 10:00, Acme Support wrote:\n> It left our warehouse today.',
      inReplyTo: out.headers['message-id'],
    });
    const after = await messages();
    assert.equal(after.length, 3, 'the answer joined the conversation');
    assert.equal(after[2]!.body, 'Great, thank you!', 'the quoted history is trimmed');

    // A new subject from the same customer is a new conversation.
    await client.sendMail({
      from: 'ann@example.org',
      to: 'support@acme.test',
      subject: 'Invoice question',
      text: 'Another thing.',
    });
    const again = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?status=new');
    assert.ok(again.json().items.some((c: { subject: string }) => c.subject === 'Invoice question'));
  });

  it('forwards a conversation to a third party: the customer’s mail quoted, nothing to the customer', async () => {
    const ws = await t.workspace();
    await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', { address: 'fw@acme.test', name: 'Acme' });
    await client.sendMail({
      from: 'olga@example.org',
      to: 'fw@acme.test',
      subject: 'Broken hinge',
      text: 'The hinge of the door broke.',
      messageId: '<olga-1@example.org>',
    });
    const list = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?status=new');
    const c = list.json().items.find((x: { subject: string }) => x.subject === 'Broken hinge');
    await t.worker.drain(); // what earlier tests left queued
    const before = relay.received.length;
    const fw = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/forward`, {
      to: ['supplier@example.net'],
      note: 'Can you send a new hinge?',
    });
    assert.equal(fw.statusCode, 201, fw.body);
    assert.equal(fw.json().message.direction, 'note');
    assert.equal(fw.json().message.delivery.state, 'queued');
    await t.worker.drain();
    const out = relay.received.slice(before);
    assert.equal(out.length, 1, 'one mail, to the supplier only');
    assert.deepEqual(out[0]!.to, ['supplier@example.net']);
    assert.match(out[0]!.headers.subject ?? '', /^Fwd: Broken hinge/);
    assert.match(out[0]!.text, /Can you send a new hinge\?/);
    assert.match(out[0]!.text, /The hinge of the door broke\./);
    const bad = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/forward`, {
      to: ['not an address'],
    });
    assert.equal(bad.statusCode, 400);
  });

  it('refuses unknown recipients at RCPT and stays up', async () => {
    await assert.rejects(
      client.sendMail({ from: 'x@example.org', to: 'nobody@nowhere.test', subject: 'Hi', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 550,
    );
  });
});

describe('the open promises under a reply', () => {
  it("a mailbox that lists them adds the conversation's open promises and due dates; one that does not, none", async () => {
    const ws = await t.workspace();
    const mailbox = await call(t.app, ws.owner, 'POST', '/api/v1/mailboxes', {
      address: 'promises@acme.test',
      name: 'Acme',
      promiseFooter: true,
    });
    assert.equal(mailbox.statusCode, 201, mailbox.body);
    assert.equal(mailbox.json().mailbox.promiseFooter, true);
    await client.sendMail({
      from: 'bo@example.org',
      to: 'promises@acme.test',
      subject: 'Charged twice',
      text: 'You charged me twice.',
    });
    const list = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?status=new');
    const id = list.json().items.find((c: { subject: string }) => c.subject === 'Charged twice').id as number;
    const base = `/api/v1/conversations/${id}/commitments`;
    const open = await call(t.app, ws.owner, 'POST', base, {
      text: 'Refund the <second> charge',
      dueAt: '2026-03-05T17:00:00Z',
    });
    assert.equal(open.statusCode, 201, open.body);
    const kept = await call(t.app, ws.owner, 'POST', base, {
      text: 'Check the bank',
      dueAt: '2026-03-04T17:00:00Z',
    });
    await call(t.app, ws.owner, 'POST', `${base}/${kept.json().id}/fulfil`, {});
    const send = async (body: string) => {
      const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
        direction: 'outbound',
        body,
      });
      assert.equal(res.statusCode, 201, res.body);
      await t.worker.drain();
      const out = relay.received.find((m) => m.text.includes(body));
      assert.ok(out, 'the reply reached the relay');
      return out;
    };
    const out = await send('We are on it.');
    assert.match(
      out.text,
      /What we promised you:\r?\n- Refund the <second> charge \(by Thu, 5 Mar 2026, 17:00 \(UTC\)\)/,
    );
    assert.doesNotMatch(out.text, /Check the bank/, 'a kept promise is not listed');
    assert.match(
      out.text.replace(/=\r?\n/g, ''),
      /Refund the &lt;second&gt; charge/,
      'escaped in the HTML part',
    );

    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/mailboxes/${mailbox.json().mailbox.id}`, {
      promiseFooter: false,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const plain = await send('Still on it.');
    assert.doesNotMatch(plain.text, /What we promised you/);
  });
});
