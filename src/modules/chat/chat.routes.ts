import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  id,
  idParam,
  iso,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { type ChatWidget, findWidget, findWidgetByKey, listWidgets } from './chat.repo.js';
import type { ChatRelay } from './visitor-socket.js';
import {
  changeWidget,
  createWidget,
  DEFAULT_COLOR,
  DEFAULT_GREETING,
  removeWidget,
} from './widgets.service.js';

const tags = ['chat'];

/** An allowed origin: a web origin (scheme, host, port), stored in its canonical form. */
const origin = z
  .string()
  .trim()
  .max(200)
  .transform((value, ctx) => {
    try {
      const u = new URL(value);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== 'null') return u.origin;
    } catch {}
    ctx.addIssue({ code: 'custom', message: 'an origin such as https://www.example.com' });
    return z.NEVER;
  });
const fields = {
  name: z.string().trim().min(1).max(100),
  greeting: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe(`Shown when the chat opens (default: "${DEFAULT_GREETING}")`),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #2f6fed')
    .describe(`The button and header colour (default ${DEFAULT_COLOR})`),
  allowedOrigins: z
    .array(origin)
    .max(50)
    .transform((list) => [...new Set(list)])
    .describe('Sites whose pages may open the chat (none: any site)'),
  teamId: id
    .nullable()
    .describe('Conversations go to this team; its calendar and its agents say when we are open'),
};

const widgetSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    publicKey: z.string().describe('Goes in the snippet (data-key); not a secret'),
    greeting: z.string(),
    color: z.string(),
    allowedOrigins: z.array(z.string()),
    teamId: z.number().nullable(),
    snippet: z.string().describe('The script tag to paste into a page'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('ChatWidget');

/** Where pages load the widget from: STEWARD_PUBLIC_URL, else the address this request came to. */
function baseUrl(deps: Deps, request: FastifyRequest): string {
  if (deps.settings.publicUrl) return deps.settings.publicUrl.replace(/\/$/, '');
  return `${request.protocol}://${request.host}`;
}

export const snippetFor = (base: string, publicKey: string) =>
  `<script src="${base}/widget.js" data-key="${publicKey}" async></script>`;

const present = (w: ChatWidget, base: string) => ({
  id: w.id,
  name: w.name,
  publicKey: w.publicKey,
  greeting: w.greeting,
  color: w.color,
  allowedOrigins: w.allowedOrigins,
  teamId: w.teamId,
  snippet: snippetFor(base, w.publicKey),
  createdAt: iso(w.createdAt)!,
  updatedAt: iso(w.updatedAt)!,
});

/** A page may open the visitor socket when the widget lists no origins, or lists the page's. */
export function originAllowedFor(widget: ChatWidget, originHeader: string | undefined): boolean {
  if (widget.allowedOrigins.length === 0) return true;
  if (originHeader === undefined) return false;
  try {
    return widget.allowedOrigins.includes(new URL(originHeader).origin);
  } catch {
    return false;
  }
}

export function registerChatRoutes(app: FastifyInstance, deps: Deps, relay: ChatRelay): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/chat-widgets',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: "The workspace's live-chat widgets",
        response: { 200: z.object({ items: z.array(widgetSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const base = baseUrl(deps, request);
      return { items: (await listWidgets(deps.db, p.workspaceId)).map((w) => present(w, base)) };
    },
  );

  r.post(
    '/chat-widgets',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Create a live-chat widget (its key and the snippet to paste come back)',
        body: z.strictObject({
          name: fields.name,
          greeting: fields.greeting.optional(),
          color: fields.color.optional(),
          allowedOrigins: fields.allowedOrigins.optional(),
          teamId: fields.teamId.optional(),
        }),
        response: { 201: widgetSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const widget = unwrap(await createWidget(deps, p, request.body));
      return reply.status(201).send(present(widget, baseUrl(deps, request)));
    },
  );

  r.get(
    '/chat-widgets/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'A live-chat widget',
        params: idParam,
        response: { 200: widgetSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const widget = await findWidget(deps.db, p.workspaceId, request.params.id);
      if (!widget) throw new HttpError('CHAT_WIDGET_NOT_FOUND', 'Chat widget not found');
      return present(widget, baseUrl(deps, request));
    },
  );

  r.patch(
    '/chat-widgets/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change a live-chat widget (its key stays)',
        params: idParam,
        body: z
          .strictObject({
            name: fields.name.optional(),
            greeting: fields.greeting.optional(),
            color: fields.color.optional(),
            allowedOrigins: fields.allowedOrigins.optional(),
            teamId: fields.teamId.optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'Nothing to change'),
        response: { 200: widgetSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const widget = unwrap(await changeWidget(deps, p, request.params.id, request.body));
      return present(widget, baseUrl(deps, request));
    },
  );

  r.delete(
    '/chat-widgets/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Delete a live-chat widget (pages embedding it stop chatting; conversations stay)',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      unwrap(await removeWidget(deps, principalOf(request), request.params.id));
      return reply.status(204).send(null);
    },
  );

  const widgets = new WeakMap<FastifyRequest, ChatWidget>();
  r.route({
    method: 'GET',
    url: '/chat/socket',
    config: {
      public: true,
      rateLimit: { max: deps.settings.chatConnectsPerMinute ?? 120, timeWindow: '1 minute' },
    },
    schema: {
      tags,
      summary: "A visitor's live-chat WebSocket (the widget opens it)",
      description: [
        'Opened by widget.js with the widget key: `?key=cw_…`. Frames are JSON both ways. The client says',
        '`{type:"hello", visitorId?, token?, lastSeenId?}` first, then `{type:"message", clientId, text}`',
        '(resent until acknowledged: stored once), `{type:"typing", typing}`, `{type:"identify", name?, email?}`',
        'and `{type:"ping"}`. The server answers `welcome` (visitor id, the token once for a new visitor, the',
        'widget, availability), `messages` (history after lastSeenId, then every message as committed),',
        '`synced`, `ack {clientId, id}`, `typing` (an agent types), `identified`, `pong`, and',
        '`error {code, message}` (the socket stays usable; 20 bad frames close it with 1008).',
      ].join(' '),
      querystring: z.object({ key: z.string().min(1).max(100) }),
      response: {
        101: z.null().describe('Switching Protocols: the WebSocket is open'),
        426: commonErrors[400].describe('Asked as plain HTTP: open it as a WebSocket'),
        ...commonErrors,
      },
    },
    preValidation: async (request) => {
      const key = (request.query as { key?: string }).key;
      const widget = key ? await findWidgetByKey(deps.db, key) : undefined;
      if (!widget) throw new HttpError('CHAT_WIDGET_NOT_FOUND', 'No chat widget has this key');
      if (!originAllowedFor(widget, request.headers.origin))
        throw new HttpError('FORBIDDEN', 'This site may not open this chat', {
          origin: request.headers.origin,
        });
      widgets.set(request, widget);
    },
    handler: async () => {
      throw new HttpError('UPGRADE_REQUIRED', 'Open this address as a WebSocket');
    },
    wsHandler: (socket, request) => {
      const widget = widgets.get(request);
      if (!widget) return socket.close(1011, 'no widget');
      relay.attach(socket, widget);
    },
  });
}
