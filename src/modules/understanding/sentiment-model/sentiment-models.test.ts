import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp, type TestWorkspace } from '../../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
const settle = () => t.worker.drain();
let n = 0;

type Model = {
  id: number;
  status: string;
  requestedById: number | null;
  examples: number;
  heldOut: number;
  accuracy: number | null;
  lexiconAccuracy: number | null;
  perLabel: Array<{ label: string; support: number; recall: number }>;
  note: string | null;
};

/**
 * This business's customers are sarcastic: "Great, late again" reads positive to the lexicon and is not.
 * Agents correct those to negative, and plain questions stay neutral.
 */
const sarcastic = ['Great', 'Wonderful', 'Lovely', 'Perfect', 'Fantastic'].flatMap((w) =>
  ['my parcel is late again', 'still no refund', 'the app crashed again', 'charged twice again'].map(
    (rest) => `${w}, ${rest}.`,
  ),
);
const questions = ['What time', 'On which day', 'From which address', 'In which city'].flatMap((w) =>
  ['do you open', 'does the shop ship', 'is the office', 'can I collect it'].map((rest) => `${w} ${rest}?`),
);

async function customerMessage(ws: TestWorkspace, body: string) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Note ${++n}`,
    channel: 'email',
    customer: { email: `s${++n}@example.com` },
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json() as { conversation: { id: number }; message: { id: number } };
}

async function correct(ws: TestWorkspace, messageId: number, label: string) {
  const res = await call(t.app, ws.owner, 'PUT', `/api/v1/messages/${messageId}/sentiment`, { label });
  assert.equal(res.statusCode, 200, res.body);
}

async function models(ws: TestWorkspace) {
  const res = await call(t.app, ws.owner, 'GET', '/api/v1/sentiment-models');
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { corrections: number; minimum: number; items: Model[] };
}

async function firstSentiment(ws: TestWorkspace, conversationId: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversationId}/sentiment`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().first as { label: string; lexiconLabel: string; source: string };
}

describe('sentiment models learned from the agents’ corrections', () => {
  test('corrections train a model by themselves; once it beats the lexicon it labels new messages', async () => {
    const ws = await t.workspace();
    const texts = [
      ...sarcastic.map((x) => [x, 'negative'] as const),
      ...questions.map((x) => [x, 'neutral'] as const),
    ];
    for (let i = 0; i < texts.length; i++) {
      const [body, label] = texts[i]!;
      const { message } = await customerMessage(ws, body);
      await correct(ws, message.id, label);
    }
    await settle();
    const listed = await models(ws);
    assert.equal(listed.corrections, 36);
    assert.equal(listed.minimum, 30);
    assert.equal(listed.items.length, 1, 'the 30th correction asked for one, and only one');
    const m = listed.items[0]!;
    assert.equal(m.requestedById, null);
    assert.equal(m.status, 'active', m.note ?? '');
    assert.equal(m.examples, 30, 'the corrections there were when it was trained');
    assert.ok(m.heldOut > 0);
    assert.ok(
      m.accuracy !== null && m.lexiconAccuracy !== null && m.accuracy > m.lexiconAccuracy,
      `model ${m.accuracy} vs lexicon ${m.lexiconAccuracy}`,
    );

    const { conversation } = await customerMessage(ws, 'Fantastic, my parcel is late again.');
    const read = await firstSentiment(ws, conversation.id);
    assert.equal(read.lexiconLabel, 'positive', 'the lexicon alone is fooled');
    assert.equal(read.label, 'negative');
    assert.equal(read.source, 'model');
  });

  test('trained on demand; too few corrections are rejected and the lexicon keeps labelling', async () => {
    const ws = await t.workspace();
    for (const body of sarcastic.slice(0, 5)) {
      const { message } = await customerMessage(ws, body);
      await correct(ws, message.id, 'negative');
    }
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/sentiment-models/train');
    assert.equal(res.statusCode, 202, res.body);
    const again = await call(t.app, ws.owner, 'POST', '/api/v1/sentiment-models/train');
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.code, 'TRAINING_RUNNING');
    await settle();
    const m = (
      await call(t.app, ws.owner, 'GET', `/api/v1/sentiment-models/${res.json().id}`)
    ).json() as Model;
    assert.equal(m.status, 'rejected');
    assert.match(m.note ?? '', /Not enough corrections yet: 5 over 1 labels/);
    const { conversation } = await customerMessage(ws, 'Great, still no refund.');
    assert.equal((await firstSentiment(ws, conversation.id)).source, 'lexicon');
  });

  test('a model that reads no better than the lexicon is rejected', async () => {
    const ws = await t.workspace();
    // The agents agree with the lexicon everywhere: nothing to improve on.
    const plain = [
      ...['I love this', 'thank you so much', 'great service', 'wonderful help', 'you are the best'].flatMap(
        (x) => [x, `${x}!`, `${x} today`],
      ),
      ...['this is terrible', 'awful service', 'I hate this', 'horrible help', 'worst day'].flatMap((x) => [
        x,
        `${x}!`,
        `${x} today`,
      ]),
    ];
    for (const body of plain) {
      const { message, conversation } = await customerMessage(ws, body);
      await correct(ws, message.id, (await firstSentiment(ws, conversation.id)).lexiconLabel);
    }
    await settle();
    const [m] = (await models(ws)).items; // asked for by the 30th correction
    assert.equal(m?.status, 'rejected', JSON.stringify(m));
    assert.match(m?.note ?? '', /not above the lexicon's/);
  });

  test('only admins train; agents read; another workspace’s model is not found', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'POST', '/api/v1/sentiment-models/train')).statusCode, 403);
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/sentiment-models')).statusCode, 200);
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/sentiment-models/train');
    await settle();
    const other = await t.workspace();
    const peek = await call(t.app, other.owner, 'GET', `/api/v1/sentiment-models/${res.json().id}`);
    assert.equal(peek.statusCode, 404, peek.body);
    assert.equal(peek.json().error.code, 'SENTIMENT_MODEL_NOT_FOUND');
  });
});
