import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { multipartBody } from '../../../test/support/multipart.js';
import { schema } from '../../db/index.js';

const t = await createTestApp();
const ws = await t.workspace();
const agent = await ws.person('agent');
const other = await t.workspace();
const rows = async (q: string) => (await t.deps.db.execute(q)).rows as Array<Record<string, unknown>>;

/** Words that only the erased customer's data contains. */
const PERSONAL = ['zebediah', 'quixote', 'marmalade', 'flux', 'capacitor', '4930123456789', 'passport'];

async function seed() {
  const customer = await call(t.app, ws.owner, 'POST', '/api/v1/customers', {
    name: 'Zebediah Quixote',
    company: 'Quixote Flux Ltd',
    notes: 'Prefers marmalade',
    attributes: { favouriteJam: 'marmalade' },
    identities: [
      { kind: 'email', value: 'Zeb.Quixote@example.com' },
      { kind: 'phone', value: '+49 30 123456789' },
    ],
  });
  assert.equal(customer.statusCode, 201, customer.body);
  const customerId = customer.json().id as number;
  const opened = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Broken flux capacitor',
    channel: 'email',
    customer: { id: customerId },
    message: { body: 'My flux capacitor smells of marmalade', externalId: '<zeb.quixote.1@example.com>' },
  });
  assert.equal(opened.statusCode, 201, opened.body);
  const conversationId = opened.json().conversation.id as number;
  const file = multipartBody({ filename: 'zebediah-passport.png', content: 'passport scan of Zebediah' });
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${agent.token}`, ...file.headers },
    payload: file.payload,
  });
  const attachmentId = upload.json().attachment.id as number;
  const promise = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/commitments`, {
    text: 'Replace the flux capacitor of Zebediah',
    due: 'in 2 days',
  });
  assert.equal(promise.statusCode, 201, promise.body);
  const changed = await call(
    t.app,
    agent,
    'PATCH',
    `/api/v1/conversations/${conversationId}/commitments/${promise.json().id}`,
    {
      text: 'Replace the capacitor of Mr Quixote',
    },
  );
  assert.equal(changed.statusCode, 200, changed.body);
  const broken = await call(
    t.app,
    agent,
    'POST',
    `/api/v1/conversations/${conversationId}/commitments/${promise.json().id}/break`,
    {
      note: 'Zebediah wants marmalade instead',
    },
  );
  assert.equal(broken.statusCode, 200, broken.body);
  // An escalation and a grant, both in words about the customer.
  const escalated = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/escalate`, {
    level: 'manager',
    personId: ws.owner.personId,
    reason: 'Zebediah Quixote asks for the manager',
    callbackHours: 2,
  });
  assert.equal(escalated.statusCode, 201, escalated.body);
  const called = await call(t.app, ws.owner, 'POST', `/api/v1/escalations/${escalated.json().id}/callback`, {
    note: 'Called Zebediah about the marmalade',
  });
  assert.equal(called.statusCode, 200, called.body);
  const actions = await call(t.app, agent, 'GET', '/api/v1/resolution-actions');
  const gift = (actions.json().items as Array<{ id: number; kind: string }>).find(
    (a) => a.kind === 'gift',
  )!.id;
  const asked = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/resolutions`, {
    actionId: gift,
    amount: 15,
    note: 'A jar of marmalade for Zebediah',
  });
  assert.equal(asked.statusCode, 201, asked.body);
  const rejected = await call(t.app, ws.owner, 'POST', `/api/v1/resolutions/${asked.json().id}/reject`, {
    note: 'Quixote had one already',
  });
  assert.equal(rejected.statusCode, 200, rejected.body);
  for (const message of [
    { direction: 'outbound', body: 'Sorry Zebediah, marmalade is not covered', html: '<p>Dear Zebediah</p>' },
    { direction: 'note', body: 'Zebediah sent his passport', attachmentIds: [attachmentId] },
  ]) {
    const res = await call(t.app, agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, message);
    assert.equal(res.statusCode, 201, res.body);
  }
  // A follow-up survey answered with a comment in the customer's own words (the stored rows of an answer;
  // the surveys module's own tests drive the whole check-in).
  const now = new Date();
  const [survey] = await t.deps.db
    .insert(schema.surveys)
    .values({
      workspaceId: ws.id,
      conversationId,
      customerId,
      channel: 'email',
      questions: { csat: true, ces: true, nps: false, comment: true },
      status: 'answered',
      solvedAt: now,
      dueAt: now,
      answeredAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await t.deps.db.insert(schema.surveyResponses).values({
    workspaceId: ws.id,
    surveyId: survey!.id,
    conversationId,
    customerId,
    channel: 'email',
    fixed: true,
    csat: 4,
    ces: 2,
    comment: 'Zebediah loved the marmalade',
    source: 'link',
    answeredAt: now,
    updatedAt: now,
  });
  const patched = await call(t.app, agent, 'PATCH', `/api/v1/conversations/${conversationId}`, {
    subject: 'Zebediah flux capacitor (again)',
  });
  assert.equal(patched.statusCode, 200, patched.body);
  return { customerId, conversationId, attachmentId };
}

async function findsAnything(caller = ws.owner): Promise<string[]> {
  const hits: string[] = [];
  for (const q of [...PERSONAL, 'Zeb.Quixote@example.com', '+49 30 123456789', '030 123456789', 'zeb.qui']) {
    const search = (await call(t.app, caller, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`)).json();
    if (search.messages.length > 0 || search.customers.length > 0) hits.push(`search ${q}`);
    const customers = (
      await call(t.app, caller, 'GET', `/api/v1/customers?q=${encodeURIComponent(q)}`)
    ).json();
    if (customers.items.length > 0) hits.push(`customers ${q}`);
  }
  return hits;
}

test('after erasure nothing personal is searchable or stored, and the conversation rows remain', async () => {
  const { customerId, conversationId, attachmentId } = await seed();
  // A bystander in another workspace with the same words must keep them.
  await call(t.app, other.owner, 'POST', '/api/v1/customers', { name: 'Zebediah Quixote' });
  assert.ok((await findsAnything()).length > 10, 'findable before');
  const messagesBefore = await rows(
    `select id, direction, created_at from messages where workspace_id = ${ws.id} and conversation_id = ${conversationId} order by id`,
  );
  const conversationBefore = await rows(
    `select id, status, created_at, first_inbound_at, first_response_at, message_count from conversations where workspace_id = ${ws.id} and id = ${conversationId}`,
  );

  const refused = await call(t.app, agent, 'POST', `/api/v1/customers/${customerId}/erase`, {
    reason: 'subject_request',
  });
  assert.equal(refused.statusCode, 403, 'admins only');
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${customerId}/erase`, {
    reason: 'subject_request',
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().erasure, {
    customerId,
    customers: 1,
    identities: 2,
    conversations: 1,
    messages: 3,
    attachments: 1,
  });

  assert.deepEqual(await findsAnything(), []);
  for (const word of PERSONAL) {
    const [stored] = await rows(`select
      (select count(*) from messages where workspace_id = ${ws.id} and (search::text ilike '%${word}%' or body_text ilike '%${word}%' or coalesce(body_html, '') ilike '%${word}%' or attachments::text ilike '%${word}%' or coalesce(external_id, '') ilike '%${word}%'))::int as messages,
      (select count(*) from customers where workspace_id = ${ws.id} and (search::text ilike '%${word}%' or row_to_json(customers)::text ilike '%${word}%'))::int as customers,
      (select count(*) from customer_identities where workspace_id = ${ws.id} and value ilike '%${word}%')::int as identities,
      (select count(*) from conversations where workspace_id = ${ws.id} and (subject ilike '%${word}%' or last_message_preview ilike '%${word}%'))::int as conversations,
      (select count(*) from events where workspace_id = ${ws.id} and data::text ilike '%${word}%')::int as events,
      (select count(*) from attachments where workspace_id = ${ws.id} and filename ilike '%${word}%')::int as attachments,
      (select count(*) from commitments where workspace_id = ${ws.id} and (text ilike '%${word}%' or coalesce(note, '') ilike '%${word}%'))::int as commitments,
      (select count(*) from survey_responses where workspace_id = ${ws.id} and coalesce(comment, '') ilike '%${word}%')::int as surveys,
      (select count(*) from escalations where workspace_id = ${ws.id} and (reason ilike '%${word}%' or coalesce(callback_note, '') ilike '%${word}%'))::int as escalations,
      (select count(*) from resolutions where workspace_id = ${ws.id} and (coalesce(note, '') ilike '%${word}%' or coalesce(decision_note, '') ilike '%${word}%'))::int as resolutions`);
    assert.deepEqual(
      stored,
      {
        messages: 0,
        customers: 0,
        identities: 0,
        conversations: 0,
        events: 0,
        attachments: 0,
        commitments: 0,
        surveys: 0,
        escalations: 0,
        resolutions: 0,
      },
      `"${word}" is still stored`,
    );
  }
  assert.deepEqual(
    await rows(
      `select id, direction, created_at from messages where workspace_id = ${ws.id} and conversation_id = ${conversationId} order by id`,
    ),
    messagesBefore,
    'messages keep their rows and timestamps',
  );
  assert.deepEqual(
    await rows(
      `select id, status, created_at, first_inbound_at, first_response_at, message_count from conversations where workspace_id = ${ws.id} and id = ${conversationId}`,
    ),
    conversationBefore,
  );
  assert.deepEqual(
    await rows(
      `select fixed, csat, ces, comment from survey_responses where workspace_id = ${ws.id} and conversation_id = ${conversationId}`,
    ),
    [{ fixed: true, csat: 4, ces: 2, comment: null }],
    'the scores stay for the figures, the comment is gone',
  );
  assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/attachments/${attachmentId}`)).statusCode, 404);
  const [blobs] = await rows(`select count(*)::int as n from blobs where workspace_id = ${ws.id}`);
  assert.equal(blobs!.n, 0, 'the file content is gone');
  const [audit] = await rows(
    `select data, actor_id from events where workspace_id = ${ws.id} and type = 'customer.erased'`,
  );
  assert.equal((audit!.data as { reason: string }).reason, 'subject_request');
  assert.equal(audit!.actor_id, ws.owner.personId);
  const shown = await call(t.app, ws.owner, 'GET', `/api/v1/customers/${customerId}`);
  assert.equal(shown.json().name, 'Erased customer');
  assert.equal(
    (await call(t.app, other.owner, 'GET', '/api/v1/customers?q=Zebediah')).json().items.length,
    1,
    'the other workspace keeps its own Zebediah',
  );

  const again = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${customerId}/erase`, {
    reason: 'subject_request',
  });
  assert.equal(again.statusCode, 200, 'idempotent');
  assert.equal(again.json().erasure.identities, 0);
  assert.equal(again.json().erasure.attachments, 0);
});

test("erasure refuses another workspace's customer and a missing one (404), changing nothing", async () => {
  const theirs = await call(t.app, other.owner, 'POST', '/api/v1/customers', {
    name: 'Theodora Other',
    identities: [{ kind: 'email', value: 'theo@example.com' }],
  });
  const id = theirs.json().id as number;
  for (const target of [id, 987654321]) {
    const res = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${target}/erase`, { reason: 'other' });
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error.code, 'CUSTOMER_NOT_FOUND');
  }
  assert.equal(
    (await call(t.app, other.owner, 'GET', `/api/v1/customers/${id}`)).json().name,
    'Theodora Other',
  );
  const bad = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${id}/erase`, { reason: 'because' });
  assert.equal(bad.statusCode, 400);
});
