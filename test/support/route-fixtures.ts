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
  return {
    personId: person.person.id,
    teamId: team.id,
    tokenId: token.token.id,
    customerId: customer.id,
    secondCustomerId: second.id,
    identityId: customer.identities[0].id,
    conversationId: conversation.conversation.id,
  };
}

/** `status`: what the owner gets when it is not a 2xx (a WebSocket route asked as plain HTTP). */
export type Fixture = { url: string; body?: unknown; query?: string; status?: number };

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
    'GET /api/v1/search': { url: '/api/v1/search?q=hello' },
    'GET /api/v1/events': { url: '/api/v1/events' },
    // A WebSocket: as plain HTTP it answers 426 (test/api/realtime-stream.test.ts opens it for real).
    'GET /api/v1/stream': { url: '/api/v1/stream', status: 426 },
  };
}

/** Requests that point at another workspace's resources from inside a body (not the path). */
export function bodyReferences(
  own: World,
  foreign: World,
): Array<{ method: 'POST' | 'PATCH'; url: string; body: unknown }> {
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
  ];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order = table === 'team_members' ? 'team_id, person_id' : 'id';
    out[table] = (
      await exec(`select * from ${table} where workspace_id = ${Number(workspaceId)} order by ${order}`)
    ).rows;
  }
  return JSON.stringify(out);
}
