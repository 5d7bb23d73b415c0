import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { recordEvent } from '../../src/platform/index.js';
import { type Caller, call, callWithSession, harnessOf, type SessionCaller } from './app.js';
import { postMail, rawMail } from './mail.js';
import { multipartBody } from './multipart.js';

/**
 * Resources of one workspace that the route walks point at, and a valid request for every /api/v1 route
 * built from them. A new route without an entry here fails the walks, so every route gets walked.
 */
export type World = {
  personId: number;
  teamId: number;
  tokenId: number;
  customerId: number;
  secondCustomerId: number;
  identityId: number;
  conversationId: number;
  webhookId: number;
  /** A test ping of that webhook (queued, not sent). */
  deliveryId: number;
  attachmentId: number;
  exportId: number;
  /** One of the owner's notifications. */
  notificationId: number;
  calendarId: number;
  departmentId: number;
  contactReasonId: number;
  /** A shared macro that tags the conversation it is applied to. */
  macroId: number;
  viewId: number;
  /** Another conversation of the world's customer (merged into the world's conversation). */
  siblingId: number;
  /** A second message of the world's conversation (split off from it). */
  messageId: number;
  /** A pending invitation (handed over as a link: the test app sends no e-mail). */
  invitationId: number;
  contactFormId: number;
  chatWidgetId: number;
  reasonModelId: number;
  sentimentModelId: number;
  mailboxId: number;
  /** A mail of that mailbox kept as spam. */
  spamId: number;
  blockedSenderId: number;
  bridgeId: number;
  slaPolicyId: number;
  /** An open promise on the world's conversation, and its conversation. */
  commitmentId: number;
  /** A promise Steward suggested from an outbound reply on `promiseConversationId`, not yet confirmed. */
  suggestionId: number;
  promiseConversationId: number;
  /** An open manual escalation of `promiseConversationId` to the world's agent, with a call-back. */
  escalationId: number;
  /** The refund action of the catalogue, and a pending request for one (the owner's own: 403 to decide). */
  actionId: number;
  resolutionId: number;
};

const imapSettings = {
  host: '127.0.0.1',
  port: 1,
  security: 'none',
  username: 'support',
  password: 'imap-password',
};

let n = 0;
const uid = () => `${Date.now().toString(36)}${(++n).toString(36)}`;

/**
 * One workspace's resources for the walks. `drain` runs the job worker, so the world's export is finished
 * (its download route needs a finished archive); without it the export stays queued.
 */
export async function makeWorld(
  app: FastifyInstance,
  owner: Caller,
  drain?: () => Promise<unknown>,
): Promise<World> {
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, body: unknown) => {
    const res = await call(app, owner, method, url, body);
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.body}`);
    return res.statusCode === 204 ? {} : res.json();
  };
  const person = await ok('POST', '/api/v1/people', {
    email: `p${uid()}@example.com`,
    name: 'Pat',
    role: 'agent',
  });
  const team = await ok('POST', '/api/v1/teams', { name: `Team ${uid()}` });
  await ok('PUT', `/api/v1/teams/${team.id}/members/${person.person.id}`, undefined);
  const token = await ok('POST', '/api/v1/tokens', { name: 'walk', scopes: ['conversations:read'] });
  const customer = await ok('POST', '/api/v1/customers', {
    name: 'Casey',
    identities: [{ kind: 'email', value: `c${uid()}@example.com` }],
  });
  const second = await ok('POST', '/api/v1/customers', {
    name: 'Casey Two',
    identities: [{ kind: 'email', value: `d${uid()}@example.com` }],
  });
  const conversation = await ok('POST', '/api/v1/conversations', {
    subject: 'Walk',
    channel: 'email',
    customer: { id: customer.id },
    message: { body: 'hello there' },
  });
  const sibling = await ok('POST', '/api/v1/conversations', {
    subject: 'Walk again',
    channel: 'chat',
    customer: { id: customer.id },
    message: { body: 'me again' },
  });
  const secondMessage = await ok('POST', `/api/v1/conversations/${conversation.conversation.id}/messages`, {
    direction: 'inbound',
    body: 'and another thing',
  });
  const webhook = await ok('POST', '/api/v1/webhooks', {
    name: 'Walk hook',
    url: 'http://127.0.0.1:9/steward-hook', // loopback, nothing listening: fails at once, no DNS
    eventTypes: ['conversation.*'],
  });
  const delivery = await ok('POST', `/api/v1/webhooks/${webhook.webhook.id}/test`, undefined);
  const file = multipartBody({ filename: 'walk.txt', contentType: 'text/plain', content: 'walk' });
  const upload = await app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { authorization: `Bearer ${owner.token}`, ...file.headers },
    payload: file.payload,
  });
  assert.equal(upload.statusCode, 201, upload.body);
  await ok('POST', `/api/v1/conversations/${conversation.conversation.id}/messages`, {
    direction: 'note',
    body: 'with a file',
    attachmentIds: [upload.json().attachment.id],
  });
  const exported = await ok('POST', '/api/v1/exports', {});
  await drain?.();
  // A notification for the owner, through the event convention every later issue uses.
  const harness = harnessOf(app);
  await recordEvent(harness.deps.db, {
    workspaceId: owner.workspaceId,
    type: 'walk.notified',
    entityType: 'conversation',
    entityId: conversation.conversation.id,
    actor: { type: 'system' },
    data: { notifyPersonIds: [owner.personId], notifyKind: 'escalation', notifyTitle: 'Walk' },
    at: harness.clock.now(),
  });
  await harness.worker.drain();
  const notifications = await call(app, owner, 'GET', '/api/v1/notifications?limit=1');
  const notificationId = notifications.json().items[0]?.id as number;
  assert.ok(notificationId, `no notification for the owner: ${notifications.body}`);
  const calendar = await ok('POST', '/api/v1/calendars', {
    name: `Office ${uid()}`,
    timeZone: 'Europe/Berlin',
    week: { 1: [{ start: '09:00', end: '17:00' }] },
  });
  const department = await ok('POST', '/api/v1/departments', { name: `Logistics ${uid()}` });
  const reason = await ok('POST', '/api/v1/contact-reasons', { name: `Where is my order ${uid()}` });
  const macro = await ok('POST', '/api/v1/macros', {
    name: `Thanks ${uid()}`,
    body: 'Hi {{customer.first_name}}, thanks!',
    actions: { addTags: ['walked'] },
    shared: true,
  });
  // A workspace keeps at most 50 shared views, and a world is made per route: reuse one when there is one.
  const views = (await call(app, owner, 'GET', '/api/v1/views')).json().items as { id: number }[];
  const view =
    views[0] ??
    (await ok('POST', '/api/v1/views', {
      name: `Urgent ${uid()}`,
      filters: { priority: 'urgent' },
      shared: true,
    }));
  const invitation = await ok('POST', '/api/v1/invitations', {
    email: `inv${uid()}@example.com`,
    name: 'Ivy',
    role: 'agent',
    teamIds: [team.id],
  });
  const mailbox = await ok('POST', '/api/v1/mailboxes', {
    address: `support-${uid()}@acme.test`,
    name: 'Support',
  });
  const spam = await postMail(
    app,
    { id: mailbox.mailbox.id, secret: mailbox.inboundSecret },
    rawMail({ from: 'spammer@example.net', subject: 'Cheap pills', headers: { 'X-Spam-Flag': 'YES' } }),
  );
  assert.equal(spam.statusCode, 200, spam.body);
  // Polled by IMAP from a port where nothing listens: the polls fail (and say so), nothing else happens.
  await ok('PUT', `/api/v1/mailboxes/${mailbox.mailbox.id}/imap`, imapSettings);
  // Before the drain below: its recompute job of the workspace's conversations runs there, not in a walk.
  const slaPolicy = await ok('POST', '/api/v1/sla-policies', {
    name: `SLA ${uid()}`,
    firstResponseMinutes: 60,
    conditions: { teamIds: [team.id] },
  });
  const promise = await ok('POST', `/api/v1/conversations/${conversation.conversation.id}/commitments`, {
    text: 'Refund the second charge',
    due: 'in 5 business days',
  });
  const promised = await ok('POST', '/api/v1/conversations', {
    subject: 'Promised',
    channel: 'chat',
    customer: { id: customer.id },
    message: { body: 'when?' },
  });
  const escalation = await ok('POST', `/api/v1/conversations/${promised.conversation.id}/escalate`, {
    level: 'manager',
    reason: 'Walk',
    personId: person.person.id,
    callbackHours: 4,
  });
  const catalogue = await ok('GET', '/api/v1/resolution-actions', undefined);
  const refund = catalogue.items.find((a: { kind: string }) => a.kind === 'refund');
  const resolution = await ok('POST', `/api/v1/conversations/${promised.conversation.id}/resolutions`, {
    actionId: refund.id,
    amount: 10,
  });
  await ok('POST', `/api/v1/conversations/${promised.conversation.id}/messages`, {
    direction: 'outbound',
    body: 'We will call you back tomorrow at 10.',
  });
  // Trained (and rejected: no labels yet) by the drain below, so no walk finds it still running.
  const reasonModel = await ok('POST', '/api/v1/reason-models/train', undefined);
  const sentimentModel = await ok('POST', '/api/v1/sentiment-models/train', undefined);
  await harness.worker.drain(); // its first poll, now: later walks find it settled
  const suggestion = (
    await call(app, owner, 'GET', `/api/v1/conversations/${promised.conversation.id}/commitments`)
  ).json().items[0];
  assert.equal(suggestion?.status, 'suggested', 'the world has a suggested promise');
  const spamList = (await call(app, owner, 'GET', '/api/v1/email/spam?limit=1')).json();
  const blocked = await ok('POST', '/api/v1/email/blocked-senders', { pattern: `@blocked-${uid()}.test` });
  const form = await ok('POST', '/api/v1/contact-forms', { name: `Contact ${uid()}` });
  const bridge = await ok('POST', '/api/v1/messaging-bridges', { name: 'SMS', channel: 'sms' });
  const chatWidget = await ok('POST', '/api/v1/chat-widgets', { name: `Site ${uid()}` });
  return {
    commitmentId: promise.id,
    escalationId: escalation.id,
    actionId: refund.id,
    resolutionId: resolution.id,
    suggestionId: suggestion.id,
    promiseConversationId: promised.conversation.id,
    slaPolicyId: slaPolicy.id,
    contactFormId: form.id,
    chatWidgetId: chatWidget.id,
    reasonModelId: reasonModel.id,
    sentimentModelId: sentimentModel.id,
    bridgeId: bridge.bridge.id,
    mailboxId: mailbox.mailbox.id,
    spamId: spamList.items[0].id,
    blockedSenderId: blocked.id,
    invitationId: invitation.invitation.id,
    macroId: macro.id,
    viewId: view.id,
    siblingId: sibling.conversation.id,
    messageId: secondMessage.message.id,
    webhookId: webhook.webhook.id,
    deliveryId: delivery.id,
    notificationId,
    departmentId: department.id,
    contactReasonId: reason.id,
    calendarId: calendar.id,
    personId: person.person.id,
    teamId: team.id,
    tokenId: token.token.id,
    customerId: customer.id,
    secondCustomerId: second.id,
    identityId: customer.identities[0].id,
    conversationId: conversation.conversation.id,
    attachmentId: upload.json().attachment.id,
    exportId: exported.export.id,
  };
}

/** A valid request; `file` makes it a multipart upload of that file instead of a JSON body. */
export type Fixture = {
  url: string;
  body?: unknown;
  query?: string;
  file?: { filename: string; contentType: string; content: string };
  /** What the owner gets when it is not a 2xx (a WebSocket route asked as plain HTTP). */
  status?: number;
};

/** Sends a fixture's request as a caller (by token, or a signed-in session): JSON, or multipart for a file. */
export async function sendFixture(
  app: FastifyInstance,
  caller: Pick<Caller, 'token'> | SessionCaller,
  method: string,
  f: Fixture,
): Promise<LightMyRequestResponse> {
  const m = method as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  if (!f.file) {
    return 'token' in caller
      ? call(app, caller, m, f.url, f.body)
      : callWithSession(app, caller, m, f.url, f.body);
  }
  const body = multipartBody(f.file);
  const auth: Record<string, string> =
    'token' in caller ? { authorization: `Bearer ${caller.token}` } : { 'x-csrf-token': caller.csrfToken };
  return app.inject({
    method: m,
    url: f.url,
    headers: { ...auth, ...body.headers },
    cookies: 'cookie' in caller ? { steward_session: caller.cookie } : {},
    payload: body.payload,
  });
}

/** A valid request for each route, aimed at the resources of `w`. */
export function fixtures(w: World): Record<string, Fixture> {
  return {
    'GET /api/v1/session': { url: '/api/v1/session' },
    'DELETE /api/v1/session': { url: '/api/v1/session' },
    'PUT /api/v1/me/password': {
      url: '/api/v1/me/password',
      body: { currentPassword: 'x', newPassword: 'long enough new one' },
    },
    'GET /api/v1/me/availability': { url: '/api/v1/me/availability' },
    'PUT /api/v1/me/availability': { url: '/api/v1/me/availability', body: { availability: 'away' } },
    'DELETE /api/v1/me/sessions': { url: '/api/v1/me/sessions' },
    'GET /api/v1/workspace': { url: '/api/v1/workspace' },
    'PATCH /api/v1/workspace': { url: '/api/v1/workspace', body: { name: 'Renamed' } },
    'GET /api/v1/people': { url: '/api/v1/people' },
    'POST /api/v1/people': {
      url: '/api/v1/people',
      body: { email: `n${uid()}@example.com`, name: 'New', role: 'agent' },
    },
    'GET /api/v1/people/:id': { url: `/api/v1/people/${w.personId}` },
    'PATCH /api/v1/people/:id': { url: `/api/v1/people/${w.personId}`, body: { name: 'Renamed' } },
    'GET /api/v1/invitations': { url: '/api/v1/invitations' },
    'POST /api/v1/invitations': {
      url: '/api/v1/invitations',
      body: { email: `i${uid()}@example.com`, name: 'Invited', role: 'agent', teamIds: [w.teamId] },
    },
    'POST /api/v1/invitations/:id/resend': { url: `/api/v1/invitations/${w.invitationId}/resend` },
    'DELETE /api/v1/invitations/:id': { url: `/api/v1/invitations/${w.invitationId}` },
    'GET /api/v1/teams': { url: '/api/v1/teams' },
    'POST /api/v1/teams': { url: '/api/v1/teams', body: { name: `T ${uid()}` } },
    'GET /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}` },
    'PATCH /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}`, body: { isVendor: true } },
    'DELETE /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}` },
    'PUT /api/v1/teams/:id/members/:personId': { url: `/api/v1/teams/${w.teamId}/members/${w.personId}` },
    'DELETE /api/v1/teams/:id/members/:personId': { url: `/api/v1/teams/${w.teamId}/members/${w.personId}` },
    'GET /api/v1/tokens': { url: '/api/v1/tokens' },
    'GET /api/v1/tokens/scopes': { url: '/api/v1/tokens/scopes' },
    'POST /api/v1/tokens': { url: '/api/v1/tokens', body: { name: 'x', scopes: ['customers:read'] } },
    'DELETE /api/v1/tokens/:id': { url: `/api/v1/tokens/${w.tokenId}` },
    'GET /api/v1/customers': { url: '/api/v1/customers' },
    'POST /api/v1/customers': { url: '/api/v1/customers', body: { name: 'Fresh' } },
    'GET /api/v1/customers/:id': { url: `/api/v1/customers/${w.customerId}` },
    'PATCH /api/v1/customers/:id': { url: `/api/v1/customers/${w.customerId}`, body: { tier: 'gold' } },
    'POST /api/v1/customers/:id/identities': {
      url: `/api/v1/customers/${w.customerId}/identities`,
      body: { kind: 'email', value: `i${uid()}@example.com` },
    },
    'DELETE /api/v1/customers/:id/identities/:identityId': {
      url: `/api/v1/customers/${w.customerId}/identities/${w.identityId}`,
    },
    'GET /api/v1/customers/:id/conversations': { url: `/api/v1/customers/${w.customerId}/conversations` },
    'POST /api/v1/customers/:id/merge': {
      url: `/api/v1/customers/${w.customerId}/merge`,
      body: { sourceCustomerId: w.secondCustomerId },
    },
    'POST /api/v1/conversations': {
      url: '/api/v1/conversations',
      body: { subject: 'S', channel: 'email', customer: { id: w.customerId }, message: { body: 'hi' } },
    },
    'GET /api/v1/conversations': { url: '/api/v1/conversations' },
    'GET /api/v1/conversations/:id': { url: `/api/v1/conversations/${w.conversationId}` },
    'PATCH /api/v1/conversations/:id': {
      url: `/api/v1/conversations/${w.conversationId}`,
      body: { priority: 'high' },
    },
    'POST /api/v1/conversations/:id/claim': { url: `/api/v1/conversations/${w.conversationId}/claim` },
    'POST /api/v1/conversations/:id/messages': {
      url: `/api/v1/conversations/${w.conversationId}/messages`,
      body: { direction: 'note', body: 'a note' },
    },
    'GET /api/v1/conversations/:id/messages': { url: `/api/v1/conversations/${w.conversationId}/messages` },
    'POST /api/v1/attachments': {
      url: '/api/v1/attachments',
      file: { filename: 'upload.txt', contentType: 'text/plain', content: 'an upload' },
    },
    'GET /api/v1/attachments/:id': { url: `/api/v1/attachments/${w.attachmentId}` },
    'POST /api/v1/customers/:id/erase': {
      url: `/api/v1/customers/${w.secondCustomerId}/erase`,
      body: { reason: 'subject_request' },
    },
    'POST /api/v1/exports': { url: '/api/v1/exports', body: {} },
    'GET /api/v1/exports': { url: '/api/v1/exports' },
    'GET /api/v1/exports/:id': { url: `/api/v1/exports/${w.exportId}` },
    'GET /api/v1/exports/:id/download': { url: `/api/v1/exports/${w.exportId}/download` },
    'GET /api/v1/notifications': { url: '/api/v1/notifications' },
    'GET /api/v1/notifications/unread-count': { url: '/api/v1/notifications/unread-count' },
    'POST /api/v1/notifications/:id/read': { url: `/api/v1/notifications/${w.notificationId}/read` },
    'POST /api/v1/notifications/read-all': { url: '/api/v1/notifications/read-all' },
    'GET /api/v1/notifications/preferences': { url: '/api/v1/notifications/preferences' },
    'PUT /api/v1/notifications/preferences': {
      url: '/api/v1/notifications/preferences',
      body: { email: { mention: 'digest' }, digest: { frequency: 'hourly' } },
    },
    'POST /api/v1/conversations/:id/calls': {
      url: `/api/v1/conversations/${w.conversationId}/calls`,
      body: { direction: 'inbound', durationSeconds: 30, outcome: 'resolved' },
    },
    'POST /api/v1/calls': {
      url: '/api/v1/calls',
      body: {
        subject: 'A call',
        customer: { id: w.customerId },
        direction: 'outbound',
        durationSeconds: 30,
        outcome: 'no_answer',
      },
    },
    'POST /api/v1/conversations/:id/forward': {
      url: `/api/v1/conversations/${w.conversationId}/forward`,
      body: { to: ['supplier@example.net'], note: 'Can you check this?' },
    },
    'POST /api/v1/customers/:id/split': {
      url: `/api/v1/customers/${w.customerId}/split`,
      body: { name: 'Split off', identityIds: [w.identityId] },
    },
    'GET /api/v1/messaging-bridges': { url: '/api/v1/messaging-bridges' },
    'POST /api/v1/messaging-bridges': {
      url: '/api/v1/messaging-bridges',
      body: { name: 'WhatsApp', channel: 'whatsapp' },
    },
    'PATCH /api/v1/messaging-bridges/:id': {
      url: `/api/v1/messaging-bridges/${w.bridgeId}`,
      body: { name: 'Renamed' },
    },
    'POST /api/v1/messaging-bridges/:id/rotate-secret': {
      url: `/api/v1/messaging-bridges/${w.bridgeId}/rotate-secret`,
    },
    'DELETE /api/v1/messaging-bridges/:id': { url: `/api/v1/messaging-bridges/${w.bridgeId}` },
    'GET /api/v1/mailboxes': { url: '/api/v1/mailboxes' },
    'POST /api/v1/mailboxes': {
      url: '/api/v1/mailboxes',
      body: { address: `new-${uid()}@acme.test`, name: 'New mailbox' },
    },
    'GET /api/v1/mailboxes/:id': { url: `/api/v1/mailboxes/${w.mailboxId}` },
    'PATCH /api/v1/mailboxes/:id': { url: `/api/v1/mailboxes/${w.mailboxId}`, body: { name: 'Renamed' } },
    'POST /api/v1/mailboxes/:id/rotate-secret': { url: `/api/v1/mailboxes/${w.mailboxId}/rotate-secret` },
    'DELETE /api/v1/mailboxes/:id': { url: `/api/v1/mailboxes/${w.mailboxId}` },
    'GET /api/v1/mailboxes/:id/imap': { url: `/api/v1/mailboxes/${w.mailboxId}/imap` },
    'PUT /api/v1/mailboxes/:id/imap': {
      url: `/api/v1/mailboxes/${w.mailboxId}/imap`,
      body: { ...imapSettings, pollSeconds: 300 },
    },
    'DELETE /api/v1/mailboxes/:id/imap': { url: `/api/v1/mailboxes/${w.mailboxId}/imap` },
    'POST /api/v1/mailboxes/:id/imap/poll': { url: `/api/v1/mailboxes/${w.mailboxId}/imap/poll` },
    'POST /api/v1/mailboxes/:id/imap/test': {
      url: `/api/v1/mailboxes/${w.mailboxId}/imap/test`,
      body: { host: '127.0.0.1', port: 1, security: 'none', username: 'support' },
    },
    'GET /api/v1/email/spam': { url: '/api/v1/email/spam' },
    'POST /api/v1/email/spam/:id/release': { url: `/api/v1/email/spam/${w.spamId}/release` },
    'DELETE /api/v1/email/spam/:id': { url: `/api/v1/email/spam/${w.spamId}` },
    'GET /api/v1/email/blocked-senders': { url: '/api/v1/email/blocked-senders' },
    'POST /api/v1/email/blocked-senders': {
      url: '/api/v1/email/blocked-senders',
      body: { pattern: `someone-${uid()}@example.net` },
    },
    'DELETE /api/v1/email/blocked-senders/:id': { url: `/api/v1/email/blocked-senders/${w.blockedSenderId}` },
    'GET /api/v1/calendars': { url: '/api/v1/calendars' },
    'POST /api/v1/calendars': {
      url: '/api/v1/calendars',
      body: {
        name: `Cal ${uid()}`,
        timeZone: 'Europe/Berlin',
        week: { 1: [{ start: '08:00', end: '24:00' }] },
      },
    },
    'GET /api/v1/calendars/:id': { url: `/api/v1/calendars/${w.calendarId}` },
    'PATCH /api/v1/calendars/:id': {
      url: `/api/v1/calendars/${w.calendarId}`,
      body: { holidays: [{ date: '2026-12-24', yearly: true }] },
    },
    'DELETE /api/v1/calendars/:id': { url: `/api/v1/calendars/${w.calendarId}` },
    'GET /api/v1/calendars/:id/preview': { url: `/api/v1/calendars/${w.calendarId}/preview?minutes=90` },
    'GET /api/v1/teams/:id/calendar': { url: `/api/v1/teams/${w.teamId}/calendar` },
    'PUT /api/v1/teams/:id/calendar': {
      url: `/api/v1/teams/${w.teamId}/calendar`,
      body: { calendarId: w.calendarId },
    },
    'GET /api/v1/teams/:id/routing': { url: `/api/v1/teams/${w.teamId}/routing` },
    'PUT /api/v1/teams/:id/routing': {
      url: `/api/v1/teams/${w.teamId}/routing`,
      body: { mode: 'round_robin', capacity: { email: 5, chat: 2 } },
    },
    'PUT /api/v1/teams/:id/routing/members/:personId': {
      url: `/api/v1/teams/${w.teamId}/routing/members/${w.personId}`,
      body: { capacity: { chat: 1 } },
    },
    'GET /api/v1/departments': { url: '/api/v1/departments' },
    'POST /api/v1/departments': { url: '/api/v1/departments', body: { name: `D ${uid()}` } },
    'GET /api/v1/departments/:id': { url: `/api/v1/departments/${w.departmentId}` },
    'PATCH /api/v1/departments/:id': {
      url: `/api/v1/departments/${w.departmentId}`,
      body: { description: 'Ships orders' },
    },
    'DELETE /api/v1/departments/:id': { url: `/api/v1/departments/${w.departmentId}` },
    'GET /api/v1/contact-reasons': { url: '/api/v1/contact-reasons' },
    'POST /api/v1/contact-reasons': {
      url: '/api/v1/contact-reasons',
      body: { name: `R ${uid()}`, avoidable: true, departmentId: w.departmentId },
    },
    'GET /api/v1/contact-reasons/export': { url: '/api/v1/contact-reasons/export' },
    'POST /api/v1/contact-reasons/import': {
      url: '/api/v1/contact-reasons/import',
      body: { csv: 'path,avoidable\r\nBilling > Charged twice,yes\r\n' },
    },
    'GET /api/v1/contact-reasons/:id': { url: `/api/v1/contact-reasons/${w.contactReasonId}` },
    'PATCH /api/v1/contact-reasons/:id': {
      url: `/api/v1/contact-reasons/${w.contactReasonId}`,
      body: { description: 'The parcel is late' },
    },
    'DELETE /api/v1/contact-reasons/:id': { url: `/api/v1/contact-reasons/${w.contactReasonId}` },
    'PUT /api/v1/conversations/:id/contact-reason': {
      url: `/api/v1/conversations/${w.conversationId}/contact-reason`,
      body: { contactReasonId: w.contactReasonId },
    },
    'GET /api/v1/conversations/counts': { url: '/api/v1/conversations/counts' },
    'POST /api/v1/conversations/bulk': {
      url: '/api/v1/conversations/bulk',
      body: { ids: [w.conversationId], change: { addTags: ['bulk'] } },
    },
    'GET /api/v1/macros': { url: '/api/v1/macros' },
    'POST /api/v1/macros': { url: '/api/v1/macros', body: { name: 'Mine', body: 'Hello {{agent.name}}' } },
    'PATCH /api/v1/macros/:id': { url: `/api/v1/macros/${w.macroId}`, body: { name: 'Thanks again' } },
    'DELETE /api/v1/macros/:id': { url: `/api/v1/macros/${w.macroId}` },
    'POST /api/v1/macros/:id/apply': {
      url: `/api/v1/macros/${w.macroId}/apply`,
      body: { conversationId: w.conversationId },
    },
    'POST /api/v1/conversations/:id/activity': {
      url: `/api/v1/conversations/${w.conversationId}/activity`,
      body: { state: 'viewing', active: true },
    },
    'GET /api/v1/conversations/:id/handle-time': {
      url: `/api/v1/conversations/${w.conversationId}/handle-time`,
    },
    'POST /api/v1/conversations/:id/merge': {
      url: `/api/v1/conversations/${w.siblingId}/merge`,
      body: { intoId: w.conversationId },
    },
    'POST /api/v1/conversations/:id/split': {
      url: `/api/v1/conversations/${w.conversationId}/split`,
      body: { messageIds: [w.messageId], subject: 'Another thing' },
    },
    'GET /api/v1/views': { url: '/api/v1/views' },
    'POST /api/v1/views': { url: '/api/v1/views', body: { name: 'Mine', filters: { assigneeId: 'me' } } },
    'PATCH /api/v1/views/:id': { url: `/api/v1/views/${w.viewId}`, body: { sort: 'waiting' } },
    'DELETE /api/v1/views/:id': { url: `/api/v1/views/${w.viewId}` },
    'GET /api/v1/contact-forms': { url: '/api/v1/contact-forms' },
    'POST /api/v1/contact-forms': { url: '/api/v1/contact-forms', body: { name: `Form ${uid()}` } },
    'GET /api/v1/contact-forms/:id': { url: `/api/v1/contact-forms/${w.contactFormId}` },
    'PATCH /api/v1/contact-forms/:id': {
      url: `/api/v1/contact-forms/${w.contactFormId}`,
      body: { intro: 'Write to us' },
    },
    'DELETE /api/v1/contact-forms/:id': { url: `/api/v1/contact-forms/${w.contactFormId}` },
    'GET /api/v1/conversations/:id/proposals': { url: `/api/v1/conversations/${w.conversationId}/proposals` },
    'GET /api/v1/templates': { url: '/api/v1/templates' },
    'GET /api/v1/templates/:key': { url: '/api/v1/templates/acknowledgement.body' },
    'PUT /api/v1/templates/:key/:locale': {
      url: '/api/v1/templates/widget.greeting/de-AT',
      body: { text: 'Servus! Wie können wir helfen?' },
    },
    'DELETE /api/v1/templates/:key/:locale': { url: '/api/v1/templates/widget.greeting/de-AT' },
    'POST /api/v1/templates/:key/preview': {
      url: '/api/v1/templates/acknowledgement.subject/preview',
      body: { customerLocale: 'de', text: 'Danke! [#{{reference}}]' },
    },
    'GET /api/v1/search': { url: '/api/v1/search?q=hello' },
    'GET /api/v1/events': { url: '/api/v1/events' },
    'GET /api/v1/webhooks': { url: '/api/v1/webhooks' },
    'POST /api/v1/webhooks': {
      url: '/api/v1/webhooks',
      body: { name: 'Billing', url: 'http://127.0.0.1:9/billing', eventTypes: ['conversation.solved'] },
    },
    'GET /api/v1/webhooks/:id': { url: `/api/v1/webhooks/${w.webhookId}` },
    'PATCH /api/v1/webhooks/:id': {
      url: `/api/v1/webhooks/${w.webhookId}`,
      body: { description: 'Renamed' },
    },
    'DELETE /api/v1/webhooks/:id': { url: `/api/v1/webhooks/${w.webhookId}` },
    'POST /api/v1/webhooks/:id/pause': {
      url: `/api/v1/webhooks/${w.webhookId}/pause`,
      body: { reason: 'maintenance' },
    },
    'POST /api/v1/webhooks/:id/resume': { url: `/api/v1/webhooks/${w.webhookId}/resume` },
    'POST /api/v1/webhooks/:id/rotate-secret': { url: `/api/v1/webhooks/${w.webhookId}/rotate-secret` },
    'POST /api/v1/webhooks/:id/test': { url: `/api/v1/webhooks/${w.webhookId}/test` },
    'GET /api/v1/webhooks/:id/deliveries': { url: `/api/v1/webhooks/${w.webhookId}/deliveries` },
    'GET /api/v1/webhooks/:id/deliveries/:deliveryId': {
      url: `/api/v1/webhooks/${w.webhookId}/deliveries/${w.deliveryId}`,
    },
    'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver': {
      url: `/api/v1/webhooks/${w.webhookId}/deliveries/${w.deliveryId}/redeliver`,
    },
    // A WebSocket: as plain HTTP it answers 426 (test/api/realtime-stream.test.ts opens it for real).
    'GET /api/v1/stream': { url: '/api/v1/stream', status: 426 },
    'GET /api/v1/sla-policies': { url: '/api/v1/sla-policies' },
    'POST /api/v1/sla-policies': {
      url: '/api/v1/sla-policies',
      body: { name: `SLA ${uid()}`, firstResponseMinutes: 30, conditions: { priorities: ['urgent'] } },
    },
    'PUT /api/v1/sla-policies/order': { url: '/api/v1/sla-policies/order', body: { ids: [w.slaPolicyId] } },
    'GET /api/v1/sla-policies/:id': { url: `/api/v1/sla-policies/${w.slaPolicyId}` },
    'PATCH /api/v1/sla-policies/:id': {
      url: `/api/v1/sla-policies/${w.slaPolicyId}`,
      body: { warnPercent: 80 },
    },
    'DELETE /api/v1/sla-policies/:id': { url: `/api/v1/sla-policies/${w.slaPolicyId}` },
    'GET /api/v1/sla/attainment': { url: '/api/v1/sla/attainment?by=team' },
    'GET /api/v1/conversations/:id/sla': { url: `/api/v1/conversations/${w.conversationId}/sla` },
    'GET /api/v1/conversations/:id/matter': { url: `/api/v1/conversations/${w.conversationId}/matter` },
    // Alone on its matter (the sibling's words are not alike): nothing to split.
    'POST /api/v1/conversations/:id/matter/split': {
      url: `/api/v1/conversations/${w.conversationId}/matter/split`,
      status: 422,
    },
    'POST /api/v1/conversations/:id/matter/link': {
      url: `/api/v1/conversations/${w.conversationId}/matter/link`,
      body: { conversationId: w.siblingId },
    },
    'GET /api/v1/matters/settings': { url: '/api/v1/matters/settings' },
    'PUT /api/v1/matters/settings': { url: '/api/v1/matters/settings', body: { repeatWindowDays: 21 } },
    'GET /api/v1/matters/figures': { url: '/api/v1/matters/figures?by=agent' },
    'POST /api/v1/matters/backfill': { url: '/api/v1/matters/backfill', status: 202 },
    'GET /api/v1/escalations/settings': { url: '/api/v1/escalations/settings' },
    'PUT /api/v1/escalations/settings': {
      url: '/api/v1/escalations/settings',
      body: {
        enabled: true,
        contactThreshold: 4,
        target: 'team_lead',
        personId: null,
        teamId: null,
        executiveTeamId: w.teamId,
        callbackBusinessHours: 4,
        raisePriority: 'urgent',
        tellCustomer: true,
      },
    },
    'POST /api/v1/conversations/:id/escalate': {
      url: `/api/v1/conversations/${w.promiseConversationId}/escalate`,
      body: { level: 'manager', reason: 'Walk again', personId: w.personId },
      status: 201,
    },
    'GET /api/v1/conversations/:id/escalations': {
      url: `/api/v1/conversations/${w.conversationId}/escalations`,
    },
    'GET /api/v1/escalations': { url: '/api/v1/escalations' },
    'POST /api/v1/escalations/:id/callback': {
      url: `/api/v1/escalations/${w.escalationId}/callback`,
      body: { note: 'Called back' },
    },
    'POST /api/v1/escalations/:id/resolve': {
      url: `/api/v1/escalations/${w.escalationId}/resolve`,
      body: {},
    },
    'GET /api/v1/resolution-actions': { url: '/api/v1/resolution-actions' },
    'PATCH /api/v1/resolution-actions/:id': {
      url: `/api/v1/resolution-actions/${w.actionId}`,
      body: { name: 'Refund' },
    },
    'GET /api/v1/authority/limits': { url: '/api/v1/authority/limits' },
    'PUT /api/v1/authority/limits': {
      url: '/api/v1/authority/limits',
      body: {
        items: [
          {
            actionId: w.actionId,
            role: 'agent',
            personId: null,
            perAction: 50,
            perConversation: null,
            perDay: null,
            perMonth: null,
          },
        ],
      },
    },
    'GET /api/v1/authority/mine': { url: '/api/v1/authority/mine' },
    'GET /api/v1/authority/settings': { url: '/api/v1/authority/settings' },
    'PUT /api/v1/authority/settings': {
      url: '/api/v1/authority/settings',
      body: { currency: 'EUR', approvalBusinessHours: 4 },
    },
    'POST /api/v1/conversations/:id/resolutions': {
      url: `/api/v1/conversations/${w.promiseConversationId}/resolutions`,
      body: { actionId: w.actionId, amount: 5 },
      status: 201,
    },
    'GET /api/v1/conversations/:id/resolutions': {
      url: `/api/v1/conversations/${w.promiseConversationId}/resolutions`,
    },
    'GET /api/v1/resolutions': { url: '/api/v1/resolutions?status=pending' },
    // The owner's own request: nobody decides their own (the decision itself: src/modules/authority tests).
    'POST /api/v1/resolutions/:id/approve': {
      url: `/api/v1/resolutions/${w.resolutionId}/approve`,
      body: {},
      status: 403,
    },
    'POST /api/v1/resolutions/:id/reject': {
      url: `/api/v1/resolutions/${w.resolutionId}/reject`,
      body: { note: 'no' },
      status: 403,
    },
    'GET /api/v1/resolutions/figures': { url: '/api/v1/resolutions/figures?by=team' },
    'GET /api/v1/conversations/:id/commitments': {
      url: `/api/v1/conversations/${w.conversationId}/commitments`,
    },
    'POST /api/v1/conversations/:id/commitments': {
      url: `/api/v1/conversations/${w.conversationId}/commitments`,
      body: { text: 'Call back', due: 'tomorrow at 10' },
    },
    'PATCH /api/v1/conversations/:id/commitments/:commitmentId': {
      url: `/api/v1/conversations/${w.conversationId}/commitments/${w.commitmentId}`,
      body: { due: 'in 6 business days' },
    },
    'POST /api/v1/conversations/:id/commitments/:commitmentId/fulfil': {
      url: `/api/v1/conversations/${w.conversationId}/commitments/${w.commitmentId}/fulfil`,
      body: { note: 'Refunded' },
    },
    'POST /api/v1/conversations/:id/commitments/:commitmentId/break': {
      url: `/api/v1/conversations/${w.conversationId}/commitments/${w.commitmentId}/break`,
      body: { note: 'The bank refused it' },
    },
    'POST /api/v1/conversations/:id/commitments/:commitmentId/confirm': {
      url: `/api/v1/conversations/${w.promiseConversationId}/commitments/${w.suggestionId}/confirm`,
      body: { due: 'in 2 business days' },
    },
    'POST /api/v1/conversations/:id/commitments/:commitmentId/dismiss': {
      url: `/api/v1/conversations/${w.promiseConversationId}/commitments/${w.suggestionId}/dismiss`,
    },
    'GET /api/v1/conversations/:id/commitments/due-preview': {
      url: `/api/v1/conversations/${w.conversationId}/commitments/due-preview?due=by%20Friday`,
    },
    'GET /api/v1/commitments/overdue': { url: '/api/v1/commitments/overdue' },
    'GET /api/v1/commitments/kept-rate': { url: '/api/v1/commitments/kept-rate' },
    'GET /api/v1/survey-settings': { url: '/api/v1/survey-settings' },
    'PATCH /api/v1/survey-settings': {
      url: '/api/v1/survey-settings',
      body: { delayMinutes: 120, questions: { csat: true, ces: true, nps: true, comment: true } },
    },
    'GET /api/v1/conversations/:id/surveys': { url: `/api/v1/conversations/${w.conversationId}/surveys` },
    'GET /api/v1/reason-models': { url: '/api/v1/reason-models' },
    'GET /api/v1/reason-models/:id': { url: `/api/v1/reason-models/${w.reasonModelId}` },
    'POST /api/v1/reason-models/train': { url: '/api/v1/reason-models/train' },
    'GET /api/v1/sentiment-models': { url: '/api/v1/sentiment-models' },
    'GET /api/v1/sentiment-models/:id': { url: `/api/v1/sentiment-models/${w.sentimentModelId}` },
    'POST /api/v1/sentiment-models/train': { url: '/api/v1/sentiment-models/train' },
    'GET /api/v1/conversations/:id/reason-prediction': {
      url: `/api/v1/conversations/${w.conversationId}/reason-prediction`,
    },
    'GET /api/v1/reason-prediction-settings': { url: '/api/v1/reason-prediction-settings' },
    'PUT /api/v1/reason-prediction-settings': {
      url: '/api/v1/reason-prediction-settings',
      body: { applyAbove: 0.8 },
    },
    'GET /api/v1/conversations/:id/sentiment': { url: `/api/v1/conversations/${w.conversationId}/sentiment` },
    'PUT /api/v1/messages/:id/sentiment': {
      url: `/api/v1/messages/${w.messageId}/sentiment`,
      body: { label: 'negative' },
    },
    'GET /api/v1/survey-figures/csat': { url: '/api/v1/survey-figures/csat?by=agent' },
    'GET /api/v1/survey-figures/ces': { url: '/api/v1/survey-figures/ces?by=team' },
    'GET /api/v1/survey-figures/nps': { url: '/api/v1/survey-figures/nps?by=channel' },
    'GET /api/v1/chat-widgets': { url: '/api/v1/chat-widgets' },
    'POST /api/v1/chat-widgets': { url: '/api/v1/chat-widgets', body: { name: `W ${uid()}` } },
    'GET /api/v1/chat-widgets/:id': { url: `/api/v1/chat-widgets/${w.chatWidgetId}` },
    'PATCH /api/v1/chat-widgets/:id': {
      url: `/api/v1/chat-widgets/${w.chatWidgetId}`,
      body: { greeting: 'Hello there' },
    },
    'DELETE /api/v1/chat-widgets/:id': { url: `/api/v1/chat-widgets/${w.chatWidgetId}` },
  };
}

/** Requests that point at another workspace's resources from inside a body (not the path). */
export function bodyReferences(
  own: World,
  foreign: World,
): Array<{ method: 'POST' | 'PATCH' | 'PUT'; url: string; body: unknown }> {
  return [
    {
      method: 'POST',
      url: '/api/v1/conversations',
      body: { subject: 'S', channel: 'email', customer: { id: foreign.customerId }, message: { body: 'x' } },
    },
    {
      method: 'PATCH',
      url: `/api/v1/conversations/${own.conversationId}`,
      body: { assigneeId: foreign.personId },
    },
    { method: 'PATCH', url: `/api/v1/conversations/${own.conversationId}`, body: { teamId: foreign.teamId } },
    {
      method: 'POST',
      url: `/api/v1/customers/${own.customerId}/merge`,
      body: { sourceCustomerId: foreign.secondCustomerId },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.siblingId}/merge`,
      body: { intoId: foreign.conversationId },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/split`,
      body: { messageIds: [foreign.messageId] },
    },
    { method: 'POST', url: '/api/v1/teams', body: { name: `T ${uid()}`, leadId: foreign.personId } },
    {
      method: 'POST',
      url: '/api/v1/invitations',
      body: { email: `x${uid()}@example.com`, name: 'X', role: 'agent', teamIds: [foreign.teamId] },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/messages`,
      body: { direction: 'note', body: 'x', attachmentIds: [foreign.attachmentId] },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/messages`,
      body: { direction: 'note', body: 'x', mentionIds: [foreign.personId] },
    },
    { method: 'PUT', url: `/api/v1/teams/${own.teamId}/calendar`, body: { calendarId: foreign.calendarId } },
    {
      method: 'POST',
      url: '/api/v1/sla-policies',
      body: { name: `S ${uid()}`, firstResponseMinutes: 5, conditions: { teamIds: [foreign.teamId] } },
    },
    {
      method: 'PATCH',
      url: `/api/v1/sla-policies/${own.slaPolicyId}`,
      body: { conditions: { teamIds: [foreign.teamId] } },
    },
    { method: 'PUT', url: '/api/v1/sla-policies/order', body: { ids: [foreign.slaPolicyId] } },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/commitments`,
      body: { text: 'x', due: 'in 2 days', ownerId: foreign.personId },
    },
    {
      method: 'PATCH',
      url: `/api/v1/conversations/${own.conversationId}/commitments/${own.commitmentId}`,
      body: { ownerId: foreign.personId },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/matter/link`,
      body: { conversationId: foreign.conversationId },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/escalate`,
      body: { level: 'manager', reason: 'x', personId: foreign.personId },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/escalate`,
      body: { level: 'executive', reason: 'x', teamId: foreign.teamId },
    },
    {
      method: 'PUT',
      url: '/api/v1/escalations/settings',
      body: {
        enabled: true,
        contactThreshold: 3,
        target: 'person',
        personId: foreign.personId,
        teamId: null,
        executiveTeamId: null,
        callbackBusinessHours: 4,
        raisePriority: 'urgent',
        tellCustomer: true,
      },
    },
    {
      method: 'POST',
      url: `/api/v1/conversations/${own.conversationId}/resolutions`,
      body: { actionId: foreign.actionId, amount: 5 },
    },
    {
      method: 'PUT',
      url: '/api/v1/authority/limits',
      body: {
        items: [
          {
            actionId: foreign.actionId,
            role: 'agent',
            personId: null,
            perAction: 5,
            perConversation: null,
            perDay: null,
            perMonth: null,
          },
        ],
      },
    },
    {
      method: 'PUT',
      url: '/api/v1/authority/limits',
      body: {
        items: [
          {
            actionId: own.actionId,
            role: null,
            personId: foreign.personId,
            perAction: 5,
            perConversation: null,
            perDay: null,
            perMonth: null,
          },
        ],
      },
    },
    {
      method: 'PUT',
      url: `/api/v1/conversations/${own.conversationId}/contact-reason`,
      body: { contactReasonId: foreign.contactReasonId },
    },
    {
      method: 'POST',
      url: '/api/v1/contact-reasons',
      body: { name: `R ${uid()}`, parentId: foreign.contactReasonId },
    },
    {
      method: 'PATCH',
      url: `/api/v1/contact-reasons/${own.contactReasonId}`,
      body: { departmentId: foreign.departmentId },
    },
  ];
}

/** Tables without an `id` column, and what orders their rows. */
const snapshotOrder: Record<string, string> = {
  team_members: 'team_id, person_id',
  blob_chunks: 'blob_id, seq',
  notification_preferences: 'person_id',
  team_calendars: 'team_id',
  team_routing: 'team_id',
  team_member_capacity: 'team_id, person_id',
  routing_agents: 'person_id',
  mailbox_imap: 'mailbox_id',
  mailbox_imap_folders: 'mailbox_id, folder',
  sla_clocks: 'conversation_id, target',
  sla_outcomes: 'conversation_id, target, started_at',
  survey_settings: 'workspace_id',
  survey_responses: 'survey_id',
  message_sentiments: 'message_id',
  reason_learning: 'workspace_id',
  reason_predictions: 'conversation_id',
  conversation_matters: 'conversation_id',
  matter_settings: 'workspace_id',
  escalation_settings: 'workspace_id',
  authority_settings: 'workspace_id',
};

/** Every row of every tenant table of one workspace, to prove a walk changed nothing there. */
export async function snapshot(
  exec: (q: string) => Promise<{ rows: unknown[] }>,
  workspaceId: number,
): Promise<string> {
  const tables = [
    'people',
    'teams',
    'team_members',
    'sessions',
    'api_tokens',
    'invitations',
    'password_resets',
    'customers',
    'customer_identities',
    'conversations',
    'messages',
    'events',
    'jobs',
    'webhook_subscriptions',
    'webhook_deliveries',
    'webhook_attempts',
    'attachments',
    'blobs',
    'blob_chunks',
    'workspace_exports',
    'notifications',
    'notification_preferences',
    'calendars',
    'team_calendars',
    'team_routing',
    'team_member_capacity',
    'routing_agents',
    'departments',
    'contact_reasons',
    'customer_templates',
    'mailboxes',
    'email_blocked_senders',
    'email_spam',
    'mailbox_imap',
    'mailbox_imap_folders',
    'messaging_bridges',
    'sla_policies',
    'sla_clocks',
    'sla_outcomes',
    'commitments',
    'survey_settings',
    'surveys',
    'survey_responses',
    'message_sentiments',
    'reason_models',
    'sentiment_models',
    'reason_learning',
    'reason_predictions',
    'matters',
    'conversation_matters',
    'contacts',
    'matter_settings',
    'escalation_settings',
    'escalations',
    'resolution_actions',
    'authority_limits',
    'authority_settings',
    'resolutions',
  ];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order = snapshotOrder[table] ?? 'id';
    out[table] = (
      await exec(`select * from ${table} where workspace_id = ${Number(workspaceId)} order by ${order}`)
    ).rows;
  }
  return JSON.stringify(out);
}
