import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
const settle = () => t.worker.drain();
let n = 0;

type Conv = { id: number; customerId: number; distressSignals: string[]; distressLevel: number };
type Scored = {
  messageId: number;
  score: number;
  label: string;
  lexiconLabel: string;
  source: string;
  signals: string[];
};
type Sentiment = {
  first: Scored | null;
  last: Scored | null;
  change: number | null;
  signals: Array<{ signal: string; messageId: number; phrase: string | null }>;
  messages: Scored[];
};

async function converse(ws: TestWorkspace, body: string, email = `c${++n}@example.com`) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Help ${++n}`,
    channel: 'email',
    customer: { email },
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json() as { conversation: Conv; message: { id: number } };
}
async function write(ws: TestWorkspace, conversationId: number, body: string, direction = 'inbound') {
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    body,
    direction,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().message as { id: number };
}
async function conversation(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().conversation as Conv;
}
async function sentiment(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/sentiment`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Sentiment;
}

const ANGRY =
  "This is the third time I'm writing and nobody answers. I will cancel my subscription if this isn't fixed.";

describe('sentiment and distress of customer messages', () => {
  test('a polite message showing distress reads as negative; the mood moves with corrections', async () => {
    const ws = await t.workspace();
    // VADER scores this positive ("please"-like politeness); the repeat contact and urgency make it negative.
    const { conversation: c, message } = await converse(ws, 'Still waiting for my refund. This is urgent.');
    let s = await sentiment(ws, c.id);
    assert.deepEqual(
      [
        s.first?.label,
        s.first?.lexiconLabel,
        s.first?.score,
        (s.first as { lexiconScore?: number }).lexiconScore,
      ],
      ['negative', 'negative', -0.5, 0.2023],
      'shown at the middle of the negative band, never "Negative +0.20"',
    );
    await write(ws, c.id, 'Thanks, that is great, it works now!');
    s = await sentiment(ws, c.id);
    const happy = s.last!.score;
    assert.ok(happy > 0.5);
    assert.equal(s.change, Math.round((happy + 0.5) * 10_000) / 10_000);
    // An agent says the first was neutral after all: the mood moved up less, and the card agrees with the label.
    const res = await call(t.app, ws.owner, 'PUT', `/api/v1/messages/${message.id}/sentiment`, {
      label: 'neutral',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().score, 0);
    s = await sentiment(ws, c.id);
    assert.deepEqual([s.first?.label, s.first?.score], ['neutral', 0]);
    assert.equal(s.change, happy);
  });

  test('an inbound message is read as it arrives: its sentiment, its signals and the words why', async () => {
    const ws = await t.workspace();
    const { conversation: c, message } = await converse(ws, ANGRY);
    const after = await conversation(ws, c.id);
    assert.deepEqual(after.distressSignals, ['churn_threat', 'high_effort', 'repeat_contact']);
    assert.equal(after.distressLevel, 7, 'threat to leave 3, high effort 2, repeat contact 2');
    const s = await sentiment(ws, c.id);
    assert.equal(s.first?.messageId, message.id);
    assert.equal(s.first?.label, 'negative');
    assert.equal(s.first?.source, 'lexicon');
    assert.equal(s.last?.messageId, message.id);
    assert.equal(s.change, 0);
    assert.deepEqual(
      s.signals.map((x) => [x.signal, x.messageId, x.phrase]),
      [
        ['churn_threat', message.id, 'cancel my subscription'],
        ['repeat_contact', message.id, 'third time'],
        ['high_effort', message.id, 'nobody answers'],
      ],
    );
  });

  test("only the customer's messages count; later ones add signals and move the last sentiment", async () => {
    const ws = await t.workspace();
    const { conversation: c } = await converse(ws, 'Hello, how do I change my delivery address?');
    assert.equal((await conversation(ws, c.id)).distressLevel, 0);
    await write(
      ws,
      c.id,
      'Sorry to hear that. You can cancel my subscription... I mean yours, anytime.',
      'outbound',
    );
    await write(ws, c.id, 'Internal: lawyer mentioned by phone', 'note');
    assert.deepEqual((await conversation(ws, c.id)).distressSignals, []);
    const angry = await write(ws, c.id, 'Still waiting! I will talk to my lawyer.');
    const thanks = await write(ws, c.id, 'Thank you so much, that worked perfectly. Great help!');
    const after = await conversation(ws, c.id);
    assert.deepEqual(after.distressSignals, ['legal_threat', 'repeat_contact'], 'signals stay once raised');
    const s = await sentiment(ws, c.id);
    assert.equal(s.messages.length, 3, 'the three customer messages, not the reply or the note');
    assert.equal(s.first?.label, 'neutral');
    assert.equal(s.last?.messageId, thanks.id);
    assert.equal(s.last?.label, 'positive');
    assert.ok(s.change !== null && s.change > 0.5, `change ${s.change}`);
    assert.equal(s.change, Math.round(((s.last?.score ?? 0) - (s.first?.score ?? 0)) * 10_000) / 10_000);
    assert.deepEqual(
      s.signals.map((x) => [x.signal, x.messageId]),
      [
        ['legal_threat', angry.id],
        ['repeat_contact', angry.id],
      ],
    );
  });

  test('the inbox sorts the most distressed first, filters them, and pages through them', async () => {
    const ws = await t.workspace();
    const calm = (await converse(ws, 'Where can I find my invoice?')).conversation;
    const one = (await converse(ws, 'I need this fixed ASAP please')).conversation;
    const three = (await converse(ws, ANGRY)).conversation;
    const two = (await converse(ws, 'Still waiting for my refund, this is urgent')).conversation;
    const list = async (query: string) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          t.app,
          ws.owner,
          'GET',
          `/api/v1/conversations?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as { items: Conv[]; nextCursor: string | null };
        ids.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    assert.deepEqual(await list('status=new,open&sort=distress'), [three.id, two.id, one.id, calm.id]);
    assert.deepEqual(await list('status=new,open&sort=distress&distressed=true'), [three.id, two.id, one.id]);
    const counts = await call(t.app, ws.owner, 'GET', '/api/v1/conversations/counts');
    assert.equal(counts.statusCode, 200, counts.body);
    assert.deepEqual(counts.json().views.distressed, { count: 3, capped: false });
  });

  test('an agent corrects a sentiment label; the lexicon label stays on record, the change is on the timeline', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const { conversation: c, message } = await converse(ws, 'Well, that is just great. Broken again.');
    const reply = await write(ws, c.id, 'We are on it', 'outbound');
    const res = await call(t.app, agent, 'PUT', `/api/v1/messages/${message.id}/sentiment`, {
      label: 'negative',
    });
    assert.equal(res.statusCode, 200, res.body);
    const corrected = res.json() as Scored & { correctedById: number };
    assert.equal(corrected.label, 'negative');
    assert.equal(corrected.source, 'agent');
    assert.equal(corrected.correctedById, agent.personId);
    const s = await sentiment(ws, c.id);
    assert.equal(s.first?.label, 'negative');
    assert.equal(s.first?.lexiconLabel, corrected.lexiconLabel);
    const timeline = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`);
    const event = (timeline.json().events as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'message.sentiment_corrected',
    );
    assert.deepEqual(event?.data, {
      messageId: message.id,
      before: { label: corrected.lexiconLabel, source: 'lexicon' },
      after: { label: 'negative' },
    });

    // Confirming a label (the one it has) makes it an agent's label too, counted towards the sentiment model.
    const second = await write(ws, c.id, 'Thank you so much, that is wonderful!', 'inbound');
    await settle();
    const lexicon = (await sentiment(ws, c.id)).last!;
    assert.equal(lexicon.source, 'lexicon');
    const confirmed = await call(t.app, agent, 'PUT', `/api/v1/messages/${second.id}/sentiment`, {
      label: lexicon.label,
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.deepEqual(
      [confirmed.json().label, confirmed.json().source, confirmed.json().lexiconLabel],
      [lexicon.label, 'agent', lexicon.label],
    );
    const counted = await call(t.app, ws.owner, 'GET', '/api/v1/sentiment-models');
    assert.equal(counted.json().corrections, 2, 'the correction and the confirmation');

    const outbound = await call(t.app, agent, 'PUT', `/api/v1/messages/${reply.id}/sentiment`, {
      label: 'positive',
    });
    assert.equal(outbound.statusCode, 404, outbound.body);
    assert.equal(outbound.json().error.code, 'SENTIMENT_NOT_FOUND');
    const bad = await call(t.app, agent, 'PUT', `/api/v1/messages/${message.id}/sentiment`, {
      label: 'angry',
    });
    assert.equal(bad.statusCode, 400, bad.body);

    const other = await t.workspace();
    const foreign = await call(t.app, other.owner, 'PUT', `/api/v1/messages/${message.id}/sentiment`, {
      label: 'positive',
    });
    assert.equal(foreign.statusCode, 404, foreign.body);
    const peek = await call(t.app, other.owner, 'GET', `/api/v1/conversations/${c.id}/sentiment`);
    assert.equal(peek.statusCode, 404, peek.body);
    assert.equal(
      (await sentiment(ws, c.id)).first?.label,
      'negative',
      'nothing changed by the foreign calls',
    );
  });

  test('a merge carries the distress to the conversation merged into; a split reads both again', async () => {
    const ws = await t.workspace();
    const email = `merge-${++n}@example.com`;
    const calm = (await converse(ws, 'Can I get a copy of my contract?', email)).conversation;
    const upset = await converse(ws, 'I am switching to another provider, nobody answers here', email);
    const merged = await call(
      t.app,
      ws.owner,
      'POST',
      `/api/v1/conversations/${upset.conversation.id}/merge`,
      {
        intoId: calm.id,
      },
    );
    assert.equal(merged.statusCode, 200, merged.body);
    await settle();
    assert.deepEqual((await conversation(ws, calm.id)).distressSignals, ['churn_threat', 'high_effort']);
    const split = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${calm.id}/split`, {
      messageIds: [upset.message.id],
    });
    assert.equal(split.statusCode, 201, split.body);
    await settle();
    assert.deepEqual((await conversation(ws, calm.id)).distressSignals, []);
    const created = split.json().conversation as Conv;
    assert.deepEqual((await conversation(ws, created.id)).distressSignals, ['churn_threat', 'high_effort']);
  });

  test('an erased customer leaves scores but no words behind', async () => {
    const ws = await t.workspace();
    const { conversation: c } = await converse(ws, ANGRY);
    const erased = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${c.customerId}/erase`, {
      reason: 'subject_request',
    });
    assert.equal(erased.statusCode, 200, erased.body);
    const s = await sentiment(ws, c.id);
    assert.equal(s.first?.label, 'negative');
    assert.ok(s.signals.length > 0);
    assert.ok(
      s.signals.every((x) => x.phrase === null),
      JSON.stringify(s.signals),
    );
  });
});
