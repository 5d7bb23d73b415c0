import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp, type TestWorkspace } from '../../../../test/support/app.js';
import { unlabelledTexts } from './reason-models.repo.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
const settle = () => t.worker.drain();
let n = 0;

type Model = {
  id: number;
  status: string;
  examples: number;
  heldOut: number;
  reasons: number;
  accuracy: number | null;
  ece: number | null;
  reliability: Array<{ count: number; confidence: number | null; accuracy: number | null }>;
  perReason: Array<{ reasonId: number; support: number; recall: number }>;
  selfLabelled: number;
  note: string | null;
};

/** Four reasons, each with its own way of saying it: ten phrasings × the customer's own details. */
const phrasings: Record<string, string[]> = {
  'Card lost': [
    'I lost my card',
    'my card was stolen yesterday',
    'I cannot find my bank card anywhere',
    'someone took my wallet with the card',
    'please block my missing card',
  ],
  'Refund missing': [
    'where is my refund',
    'the refund has not arrived',
    'you promised to pay my money back',
    'still no reimbursement for the return',
    'my refund is late',
  ],
  'Change address': [
    'I moved and need to change my address',
    'please update my home address',
    'new address for my account',
    'how do I change where you send letters',
    'my postal address is different now',
  ],
  'Close account': [
    'I want to close my account',
    'please delete my account',
    'how do I end my membership',
    'terminate my account today',
    'shut down my profile please',
  ],
};
const details = ['thanks', 'regards, Sam', 'it is urgent', 'as soon as possible', 'kind regards'];

async function labelled(ws: TestWorkspace, perReason: number) {
  const ids: Record<string, number> = {};
  for (const name of Object.keys(phrasings)) {
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', { name });
    assert.equal(res.statusCode, 201, res.body);
    ids[name] = res.json().id;
  }
  for (const [name, texts] of Object.entries(phrasings))
    for (let i = 0; i < perReason; i++) {
      const created = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject: `About ${name}`,
        channel: 'email',
        customer: { email: `c${++n}@example.com` },
        message: {
          body: `${texts[i % texts.length]}, ${details[Math.floor(i / texts.length) % details.length]}`,
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const set = await call(
        t.app,
        ws.owner,
        'PUT',
        `/api/v1/conversations/${created.json().conversation.id}/contact-reason`,
        { contactReasonId: ids[name] },
      );
      assert.equal(set.statusCode, 200, set.body);
    }
  return ids;
}

/** A new conversation of a new customer, the text its first message; its id. */
async function openConversation(ws: TestWorkspace, body: string): Promise<number> {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'New',
    channel: 'email',
    customer: { email: `p${++n}@example.com` },
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id as number;
}

async function train(ws: TestWorkspace) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/reason-models/train');
  assert.equal(res.statusCode, 202, res.body);
  return res.json() as Model;
}
async function model(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/reason-models/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Model;
}

describe('contact-reason models learned from the workspace’s labels', () => {
  test('trained in the background, measured on a held-out share, made active; the next one retires it', async () => {
    const ws = await t.workspace();
    const ids = await labelled(ws, 10);
    const listed = await call(t.app, ws.owner, 'GET', '/api/v1/reason-models');
    assert.equal(listed.json().labelled, 40);

    const first = await train(ws);
    assert.equal(first.status, 'training');
    const again = await call(t.app, ws.owner, 'POST', '/api/v1/reason-models/train');
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.code, 'TRAINING_RUNNING');
    await settle();

    const done = await model(ws, first.id);
    assert.equal(done.status, 'active', done.note ?? '');
    assert.equal(done.examples, 40);
    assert.equal(done.reasons, 4);
    assert.equal(done.heldOut, 8, '20 % of each reason');
    assert.ok(done.accuracy !== null && done.accuracy >= 0.75, `accuracy ${done.accuracy}`);
    assert.equal(done.reliability.length, 10);
    assert.equal(
      done.reliability.reduce((s, b) => s + b.count, 0),
      8,
      'every held-out prediction is in one bin',
    );
    // The ECE is the count-weighted gap of the table it comes with.
    const gap = done.reliability.reduce(
      (s, b) => (b.count ? s + (b.count / 8) * Math.abs((b.accuracy ?? 0) - (b.confidence ?? 0)) : s),
      0,
    );
    assert.ok(Math.abs((done.ece ?? -1) - gap) < 1e-9, `ece ${done.ece} vs ${gap}`);
    assert.deepEqual(done.perReason.map((r) => r.reasonId).sort(), Object.values(ids).sort());
    assert.ok(done.perReason.every((r) => r.support === 2));

    const second = await train(ws);
    await settle();
    assert.equal((await model(ws, second.id)).status, 'active');
    assert.equal((await model(ws, first.id)).status, 'retired');
    const events = await t.database.db.execute(
      `select data->>'status' as status from events where workspace_id = ${ws.id} and type = 'reason_model.trained' order by id`,
    );
    assert.deepEqual(
      (events.rows as Array<{ status: string }>).map((r) => r.status),
      ['active', 'active'],
    );
  });

  test('enough new labels train the next model by themselves, once', async () => {
    const ws = await t.workspace();
    await labelled(ws, 13); // 52 labels: the 50th asks for a training
    await settle();
    const list = await call(t.app, ws.owner, 'GET', '/api/v1/reason-models');
    const items = list.json().items as Array<Model & { requestedById: number | null }>;
    assert.equal(items.length, 1, JSON.stringify(items));
    assert.equal(items[0]?.requestedById, null);
    assert.equal(items[0]?.status, 'active', items[0]?.note ?? '');
    assert.equal(items[0]?.examples, 52);
  });

  test('new conversations are predicted: set when sure enough, suggested otherwise, "none of these" for the unknown', async () => {
    const ws = await t.workspace();
    const ids = await labelled(ws, 10);
    const m = await train(ws);
    await settle();
    assert.equal((await model(ws, m.id)).status, 'active');
    const converse = async (body: string) => {
      const id = await openConversation(ws, body);
      await settle();
      const p = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/reason-prediction`);
      assert.equal(p.statusCode, 200, p.body);
      const c = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`);
      return {
        id,
        prediction: p.json().prediction as {
          modelId: number;
          ranked: Array<{ reasonId: number; probability: number }>;
          confidence: number;
          outOfScope: boolean;
          applied: boolean;
        },
        conversation: c.json().conversation as {
          contactReasonId: number | null;
          contactReasonSource: string | null;
        },
      };
    };
    const settings = async (applyAbove: number) => {
      const res = await call(t.app, ws.owner, 'PUT', '/api/v1/reason-prediction-settings', { applyAbove });
      assert.equal(res.statusCode, 200, res.body);
    };

    await settings(0.5);
    const sure = await converse('my card was stolen yesterday, please help');
    assert.equal(sure.prediction.modelId, m.id);
    assert.equal(sure.prediction.ranked.length, 3);
    assert.equal(sure.prediction.ranked[0]?.reasonId, ids['Card lost']);
    assert.ok(sure.prediction.confidence >= 0.5, `confidence ${sure.prediction.confidence}`);
    assert.equal(sure.prediction.applied, true);
    assert.equal(sure.conversation.contactReasonId, ids['Card lost']);
    assert.equal(sure.conversation.contactReasonSource, 'model');

    await settings(1);
    const unsure = await converse('where is my refund, kind regards');
    assert.equal(unsure.prediction.ranked[0]?.reasonId, ids['Refund missing']);
    assert.equal(unsure.prediction.applied, false);
    assert.equal(unsure.conversation.contactReasonId, null);
    const accepted = await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${unsure.id}/contact-reason`, {
      contactReasonId: ids['Refund missing'],
      source: 'suggestion',
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().contactReasonSource, 'suggestion');

    const unknown = await converse('zzqv xkcdq plorft');
    assert.equal(unknown.prediction.outOfScope, true);
    assert.equal(unknown.conversation.contactReasonId, null);

    // The model's own guess is no label; the accepted suggestion is.
    const listed = await call(t.app, ws.owner, 'GET', '/api/v1/reason-models');
    assert.equal(listed.json().labelled, 41);
    const bad = await call(t.app, ws.owner, 'PUT', '/api/v1/reason-prediction-settings', { applyAbove: 2 });
    assert.equal(bad.statusCode, 400, bad.body);
  });

  test('with no model yet, the reasons whose names and descriptions match are suggested, never applied', async () => {
    const ws = await t.workspace();
    const reason = async (name: string, description: string, parentId?: number) => {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', {
        name,
        description,
        parentId,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as number;
    };
    const cards = await reason('Cards', 'Everything about cards');
    const lost = await reason('Card lost or stolen', 'The customer lost their card or it was stolen', cards);
    const refund = await reason('Refund missing', 'A promised refund has not arrived');
    const open = async (body: string) => {
      const id = await openConversation(ws, body);
      await settle();
      return id;
    };
    const matches = async (id: number) => {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/reason-prediction`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { prediction: unknown; nameMatches: Array<{ reasonId: number; score: number }> };
    };
    const stolen = await open('Hi, my card was stolen on the train yesterday');
    const first = await matches(stolen);
    assert.equal(first.prediction, null);
    assert.equal(first.nameMatches[0]?.reasonId, lost);
    assert.ok(!first.nameMatches.some((m) => m.reasonId === cards), 'a group of reasons is not suggested');
    assert.ok(first.nameMatches.every((m) => m.score > 0 && m.score <= 1));
    const c = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${stolen}`);
    assert.equal(c.json().conversation.contactReasonId, null, 'never applied');
    assert.equal((await matches(await open('Where is my refund?'))).nameMatches[0]?.reasonId, refund);
    const gibberish = await open('zzqv xkcdq plorft');
    assert.deepEqual((await matches(gibberish)).nameMatches, []);
    // The reasons are prepared once per taxonomy: a renamed reason is matched by its new name at once.
    const renamed = await call(t.app, ws.owner, 'PATCH', `/api/v1/contact-reasons/${refund}`, {
      name: 'Plorft claims',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal((await matches(gibberish)).nameMatches[0]?.reasonId, refund);
    // Once the conversation has its reason, nothing is suggested any more.
    await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${stolen}/contact-reason`, {
      contactReasonId: lost,
    });
    assert.deepEqual((await matches(stolen)).nameMatches, []);
  });

  test('a model that becomes active reads the open queue waiting for it, in chunks', async () => {
    const ws = await t.workspace();
    const ids = await labelled(ws, 10);
    // Suggestions only: a reason the model set would take the conversation out of the walk below.
    const only = await call(t.app, ws.owner, 'PUT', '/api/v1/reason-prediction-settings', { applyAbove: 1 });
    assert.equal(only.statusCode, 200, only.body);
    const open = (body: string) => openConversation(ws, body);
    // Arrived before there was a model: nothing predicted.
    const waiting = [
      await open('my card was stolen yesterday, thanks'),
      await open('the refund has not arrived, regards'),
      await open('please update my home address, thanks'),
    ];
    const solved = await open('I want to close my account');
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${solved}`, { status: 'solved' });
    const coded = await open('please delete my account');
    await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${coded}/contact-reason`, {
      contactReasonId: ids['Close account'],
    });
    const noneFits = await open('terminate my account today');
    await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${noneFits}/contact-reason`, {
      contactReasonId: 'none_fits',
    });
    await settle();
    const predicted = async () => {
      const out: number[] = [];
      for (const id of [...waiting, solved, coded, noneFits]) {
        const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/reason-prediction`);
        if (res.json().prediction) out.push(id);
      }
      return out;
    };
    assert.deepEqual(await predicted(), []);

    const m = await train(ws);
    await settle();
    assert.equal((await model(ws, m.id)).status, 'active');
    assert.deepEqual(await predicted(), waiting, 'the open ones without a reason, and only they');
    const first = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${waiting[0]}/reason-prediction`);
    assert.equal(first.json().prediction.ranked[0].reasonId, ids['Card lost']);
    assert.deepEqual(first.json().nameMatches, [], 'the model, not the names, once there is one');

    // One conversation per job: the walk goes on from where the last job stopped.
    await t.database.db.execute(`delete from reason_predictions where workspace_id = ${ws.id}`);
    const { queuePredictOpen } = await import('./predict-open.job.js');
    await queuePredictOpen(t.database.db, ws.id, t.clock.now(), { afterId: 0, chunk: 1 });
    await settle();
    assert.deepEqual(await predicted(), waiting);
  });

  test('learns from conversations nobody labelled (self-training) and from the reasons’ descriptions', async () => {
    const ws = await t.workspace();
    const ids = await labelled(ws, 10);
    const described = await call(
      t.app,
      ws.owner,
      'PATCH',
      `/api/v1/contact-reasons/${ids['Close account']}`,
      {
        description: 'Unsubscribe, quit for good',
      },
    );
    assert.equal(described.statusCode, 200, described.body);
    // "zorblat" is in no label and no description: only in conversations nobody labelled, beside card words.
    const lostTexts = [
      'I lost my card and my zorblat',
      'my card was stolen with the zorblat',
      'zorblat and bank card missing',
      'cannot find my zorblat or my card anywhere',
      'please block my card, the zorblat is gone too',
      'someone took my wallet with the card and the zorblat',
    ];
    // Solved ones: the open queue is what the model will read, never what it learns its own guesses from.
    for (const body of [...lostTexts, 'an open one about my zorblat and my card']) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject: 'Lost things',
        channel: 'email',
        customer: { email: `u${++n}@example.com` },
        message: { body },
      });
      assert.equal(res.statusCode, 201, res.body);
      if (body.startsWith('an open one')) continue;
      const id = res.json().conversation.id as number;
      const solved = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, {
        status: 'solved',
      });
      assert.equal(solved.statusCode, 200, solved.body);
    }
    const learnable = await unlabelledTexts(t.deps.db, ws.id, 100);
    assert.deepEqual([...learnable].sort(), [...lostTexts].sort(), 'the solved ones, not the open one');
    const m = await train(ws);
    await settle();
    const done = await model(ws, m.id);
    assert.equal(done.status, 'active', done.note ?? '');
    assert.equal(done.examples, 40, 'unlabelled conversations are not labels');
    assert.ok(
      done.selfLabelled > 0 && done.selfLabelled <= lostTexts.length,
      `selfLabelled ${done.selfLabelled}`,
    );
    const predicted = async (body: string) => {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject: 'New',
        channel: 'email',
        customer: { email: `q${++n}@example.com` },
        message: { body },
      });
      await settle();
      const p = await call(
        t.app,
        ws.owner,
        'GET',
        `/api/v1/conversations/${res.json().conversation.id}/reason-prediction`,
      );
      assert.equal(p.statusCode, 200, p.body);
      return p.json().prediction.ranked[0]?.reasonId as number;
    };
    assert.equal(await predicted('zorblat'), ids['Card lost']);
    assert.equal(await predicted('unsubscribe'), ids['Close account']);
  });

  test('conversations a person said no reason fits are learned as "none of these", never suggested', async () => {
    const ws = await t.workspace();
    const ids = await labelled(ws, 10);
    const unlisted = [
      'can I bring my dog into the branch',
      'is my dog allowed in your branch',
      'are pets welcome at the branch',
      'may my puppy come with me to the branch',
      'do you let dogs into the branch',
    ];
    for (let i = 0; i < 10; i++) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject: 'A question',
        channel: 'email',
        customer: { email: `d${++n}@example.com` },
        message: { body: `${unlisted[i % unlisted.length]}, ${details[Math.floor(i / 5)]}` },
      });
      const set = await call(
        t.app,
        ws.owner,
        'PUT',
        `/api/v1/conversations/${res.json().conversation.id}/contact-reason`,
        { contactReasonId: 'none_fits' },
      );
      assert.equal(set.statusCode, 200, set.body);
    }
    const listed = await call(t.app, ws.owner, 'GET', '/api/v1/reason-models');
    assert.equal(listed.json().labelled, 50, '"none fits" is a label');
    const m = await train(ws);
    await settle();
    const done = (await model(ws, m.id)) as Model & { noneFits: { support: number; recall: number } | null };
    assert.equal(done.status, 'active', done.note ?? '');
    assert.deepEqual([done.examples, done.reasons], [50, 4], 'it is no reason of its own');
    assert.equal(done.selfLabelled, 0, 'they are not unlabelled conversations either');
    assert.equal(done.noneFits?.support, 2);
    assert.equal(done.noneFits?.recall, 1, 'the held-out ones are found out of scope');
    assert.deepEqual(
      done.perReason.map((r) => r.reasonId).sort(),
      Object.values(ids).sort(),
      'recall per reason is for reasons only',
    );

    const settings = await call(t.app, ws.owner, 'PUT', '/api/v1/reason-prediction-settings', {
      applyAbove: 0.5,
    });
    assert.equal(settings.statusCode, 200, settings.body);
    const predicted = async (body: string) => {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject: 'New',
        channel: 'email',
        customer: { email: `r${++n}@example.com` },
        message: { body },
      });
      await settle();
      const id = res.json().conversation.id as number;
      const p = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/reason-prediction`)).json()
        .prediction as { ranked: Array<{ reasonId: number }>; outOfScope: boolean; applied: boolean };
      const c = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`)).json().conversation;
      return { ...p, reasonId: c.contactReasonId as number | null };
    };
    const dog = await predicted('hello, is my dog allowed into the branch with me?');
    assert.deepEqual([dog.outOfScope, dog.applied, dog.reasonId], [true, false, null]);
    assert.ok(
      dog.ranked.every((r) => Object.values(ids).includes(r.reasonId)),
      'the suggestions are reasons, never "none of these"',
    );
    const card = await predicted('my card was stolen yesterday, thanks');
    assert.deepEqual([card.outOfScope, card.reasonId], [false, ids['Card lost']]);

    // Said before the model read the message: the model's sure guess does not overwrite it.
    const early = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      subject: 'Early',
      channel: 'email',
      customer: { email: `e${++n}@example.com` },
      message: { body: 'my card was stolen yesterday, thanks' },
    });
    const earlyId = early.json().conversation.id as number;
    await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${earlyId}/contact-reason`, {
      contactReasonId: 'none_fits',
    });
    await settle();
    const kept = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${earlyId}`)).json().conversation;
    assert.deepEqual([kept.contactReasonNoneFits, kept.contactReasonId], [true, null]);
    // "None fits" counts towards the next training like a reason: the 50 labels above came while the first
    // model trained (refused, the count went on); this 51st asks again, and Steward trains by itself.
    const models = (await call(t.app, ws.owner, 'GET', '/api/v1/reason-models')).json().items as Array<
      Model & { requestedById: number | null }
    >;
    assert.equal(models.length, 2, JSON.stringify(models.map((x) => [x.id, x.status])));
    assert.equal(models[0]?.requestedById, null);
  });

  test('too few labels: the model is rejected with the reason, and nothing becomes active', async () => {
    const ws = await t.workspace();
    await labelled(ws, 2);
    const m = await train(ws);
    await settle();
    const after = await model(ws, m.id);
    assert.equal(after.status, 'rejected');
    assert.match(after.note ?? '', /Not enough labels yet: 8 labelled conversations over 4 reasons/);
  });

  test('only admins train; another workspace’s model is not found', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const refused = await call(t.app, agent, 'POST', '/api/v1/reason-models/train');
    assert.equal(refused.statusCode, 403, refused.body);
    const seen = await call(t.app, agent, 'GET', '/api/v1/reason-models');
    assert.equal(seen.statusCode, 200, seen.body);
    const m = await train(ws);
    await settle();
    const other = await t.workspace();
    const peek = await call(t.app, other.owner, 'GET', `/api/v1/reason-models/${m.id}`);
    assert.equal(peek.statusCode, 404, peek.body);
  });
});
