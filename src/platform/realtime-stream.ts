import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from './errors.js';
import { commonErrors } from './http/index.js';
import { principalOf } from './http/principal.js';
import type { RealtimeHub } from './realtime-hub.js';

/** What a client receives; documented in the OpenAPI description of the route and in the README. */
export const REALTIME_TYPES = {
  ready: 'sent once when the stream is live: (re)load what you show, then apply what follows',
  resync: 'the server lost messages (its database connection dropped): re-fetch what you show',
  'conversation.created': '{ conversationId, status, assigneeId, channel } — a new conversation',
  'conversation.updated':
    '{ conversationId, status, assigneeId, priority, teamId, changed[] } — status, assignee, priority, team, tags or subject changed',
  'conversations.changed':
    '{ count, changed[] } — background work changed many conversations at once (an SLA recompute moved their deadlines): re-fetch the lists and conversations you show',
  'commitment.changed':
    '{ conversationId, commitmentId, status } — a promise on the conversation was recorded, suggested, changed, confirmed, kept, broken or dismissed',
  'matter.changed':
    '{ conversationId, matterId } — the conversation joined, left or changed its matter (contacts, status)',
  'person.availability_changed':
    '{ personId, availability: online|away|offline } — a colleague changed their availability',
  'message.created':
    '{ conversationId, messageId, direction: inbound|outbound|note, status, assigneeId } — a message, reply or internal note',
  'message.delivery':
    '{ conversationId, messageId, state: queued|sent|failed|bounced } — how the delivery of a reply went',
  'conversation.presence':
    '{ conversationId, personId, state: viewing|typing|left } — a colleague has the conversation open, is typing in it, or left it (a viewer not heard from for 45 s has gone)',
  'chat.visitor_typing':
    '{ conversationId, typing } — the customer is typing in the live chat (repeated every 3 s while it goes on)',
} as const;

/**
 * Cross-site WebSocket hijacking: a page on another site can open a socket to us and the browser attaches the
 * session cookie (SameSite=Lax does not cover WebSocket handshakes everywhere), so a browser's handshake must
 * come from our own origin: STEWARD_PUBLIC_URL when set, else the host the request was sent to. Clients that
 * are not browsers send no Origin and cannot carry a victim's cookie.
 */
export function originAllowed(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let sent: URL;
  try {
    sent = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && sent.origin === new URL(publicUrl).origin) return true;
  const host = request.headers.host;
  return host !== undefined && sent.host === host && ['http:', 'https:'].includes(sent.protocol);
}

export function registerRealtimeStream(
  app: FastifyInstance,
  hub: RealtimeHub,
  settings: { publicUrl?: string },
): void {
  const description = [
    'A WebSocket (`ws://` or `wss://` on this address) that pushes changes to the signed-in person as they',
    'are committed, in any Steward process sharing the database. Authenticated by the session cookie (or a',
    'Bearer token); a browser must open it from Steward’s own origin. Each frame is JSON `{ "type", "data" }`:',
    '',
    ...Object.entries(REALTIME_TYPES).map(([type, what]) => `- \`${type}\`: ${what}`),
    '',
    'Messages carry ids and a few fields; fetch the rest through the API. The server pings every 30 s.',
    'When the session or token that opened the socket ends (signed out, password changed, deactivated,',
    'revoked), the server closes it with code 4401: sign in again.',
  ].join('\n');
  app.route({
    method: 'GET',
    url: '/stream',
    config: { action: 'conversations.read' },
    schema: {
      tags: ['realtime'],
      summary: 'Realtime changes over a WebSocket',
      description,
      response: {
        101: z.null().describe('Switching Protocols: the WebSocket is open'),
        426: commonErrors[400].describe('Asked as plain HTTP: open it as a WebSocket'),
        ...commonErrors,
      },
    },
    preValidation: async (request) => {
      if (!originAllowed(request, settings.publicUrl))
        throw new HttpError('FORBIDDEN', 'The stream may only be opened from Steward’s own pages', {
          origin: request.headers.origin,
        });
    },
    handler: async () => {
      throw new HttpError('UPGRADE_REQUIRED', 'Open this address as a WebSocket');
    },
    wsHandler: (socket, request) => {
      const p = principalOf(request);
      void hub.attach(socket, {
        workspaceId: p.workspaceId,
        personId: p.personId,
        sessionId: p.sessionId,
        tokenId: p.tokenId,
      });
    },
  });
}
