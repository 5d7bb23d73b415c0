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

  it('refuses unknown recipients at RCPT and stays up', async () => {
    await assert.rejects(
      client.sendMail({ from: 'x@example.org', to: 'nobody@nowhere.test', subject: 'Hi', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 550,
    );
  });
});
