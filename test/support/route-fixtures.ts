import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { type Caller, call } from './app.js';

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
  calendarId: number;
  departmentId: number;
  contactReasonId: number;
};

let n = 0;
const uid = () => `${Date.now().toString(36)}${(++n).toString(36)}`;

export async function makeWorld(app: FastifyInstance, owner: Caller): Promise<World> {
  const ok = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
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
  const calendar = await ok('POST', '/api/v1/calendars', {
    name: `Office ${uid()}`,
    timeZone: 'Europe/Berlin',
    week: { 1: [{ start: '09:00', end: '17:00' }] },
  });
  const department = await ok('POST', '/api/v1/departments', { name: `Logistics ${uid()}` });
  const reason = await ok('POST', '/api/v1/contact-reasons', { name: `Where is my order ${uid()}` });
  return {
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
  };
}

export type Fixture = { url: string; body?: unknown; query?: string };

/** A valid request for each route, aimed at the resources of `w`. */
export function fixtures(w: World): Record<string, Fixture> {
  return {
    'GET /api/v1/session': { url: '/api/v1/session' },
    'DELETE /api/v1/session': { url: '/api/v1/session' },
    'PUT /api/v1/me/password': {
      url: '/api/v1/me/password',
      body: { currentPassword: 'x', newPassword: 'long enough new one' },
    },
    'GET /api/v1/workspace': { url: '/api/v1/workspace' },
    'PATCH /api/v1/workspace': { url: '/api/v1/workspace', body: { name: 'Renamed' } },
    'GET /api/v1/people': { url: '/api/v1/people' },
    'POST /api/v1/people': {
      url: '/api/v1/people',
      body: { email: `n${uid()}@example.com`, name: 'New', role: 'agent' },
    },
    'GET /api/v1/people/:id': { url: `/api/v1/people/${w.personId}` },
    'PATCH /api/v1/people/:id': { url: `/api/v1/people/${w.personId}`, body: { name: 'Renamed' } },
    'GET /api/v1/teams': { url: '/api/v1/teams' },
    'POST /api/v1/teams': { url: '/api/v1/teams', body: { name: `T ${uid()}` } },
    'GET /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}` },
    'PATCH /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}`, body: { isVendor: true } },
    'DELETE /api/v1/teams/:id': { url: `/api/v1/teams/${w.teamId}` },
    'PUT /api/v1/teams/:id/members/:personId': { url: `/api/v1/teams/${w.teamId}/members/${w.personId}` },
    'DELETE /api/v1/teams/:id/members/:personId': { url: `/api/v1/teams/${w.teamId}/members/${w.personId}` },
    'GET /api/v1/tokens': { url: '/api/v1/tokens' },
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
    'POST /api/v1/conversations/:id/messages': {
      url: `/api/v1/conversations/${w.conversationId}/messages`,
      body: { direction: 'note', body: 'a note' },
    },
    'GET /api/v1/conversations/:id/messages': { url: `/api/v1/conversations/${w.conversationId}/messages` },
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
    { method: 'POST', url: '/api/v1/teams', body: { name: `T ${uid()}`, leadId: foreign.personId } },
    { method: 'PUT', url: `/api/v1/teams/${own.teamId}/calendar`, body: { calendarId: foreign.calendarId } },
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
    'customers',
    'customer_identities',
    'conversations',
    'messages',
    'events',
    'jobs',
    'calendars',
    'team_calendars',
    'departments',
    'contact_reasons',
    'customer_templates',
  ];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order =
      table === 'team_members' ? 'team_id, person_id' : table === 'team_calendars' ? 'team_id' : 'id';
    out[table] = (
      await exec(`select * from ${table} where workspace_id = ${Number(workspaceId)} order by ${order}`)
    ).rows;
  }
  return JSON.stringify(out);
}
