import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { registerAttachmentRoutes } from './modules/attachments/index.js';
import { registerAuditRoutes } from './modules/audit/index.js';
import { registerAuthorityModuleRoutes } from './modules/authority/index.js';
import { registerBridgesModuleRoutes } from './modules/bridges/index.js';
import { registerCalendarRoutes } from './modules/calendars/index.js';
import { registerChatModuleRoutes, registerWidgetScript } from './modules/chat/index.js';
import { registerCommitmentsModuleRoutes } from './modules/commitments/index.js';
import { registerConversationRoutes } from './modules/conversations/index.js';
import { registerCustomerRoutes } from './modules/customers/index.js';
import { registerDataCareRoutes } from './modules/datacare/index.js';
import { registerEmailRoutes } from './modules/email/index.js';
import { registerMacroModuleRoutes } from './modules/macros/index.js';
import { registerMattersModuleRoutes } from './modules/matters/index.js';
import { registerNotificationRoutes } from './modules/notifications/index.js';
import {
  registerAuth,
  registerAvailabilityRoutes,
  registerInvitationRoutes,
  registerPasswordResetRoutes,
  registerPeopleRoutes,
  registerSessionRoutes,
  registerSetupRoutes,
  registerTeamRoutes,
  registerTokenRoutes,
} from './modules/people/index.js';
import { registerPortalApiRoutes, registerPortalPublicPages } from './modules/portal/index.js';
import { registerReasonsModuleRoutes } from './modules/reasons/index.js';
import { registerRoutingModuleRoutes } from './modules/routing/index.js';
import { registerSearchRoutes } from './modules/search/index.js';
import { registerSlaModuleRoutes } from './modules/sla/index.js';
import { registerSurveyModuleRoutes, registerSurveyPublicPage } from './modules/surveys/index.js';
import { registerTemplateRoutes } from './modules/templates/index.js';
import { registerUnderstandingModuleRoutes } from './modules/understanding/index.js';
import { registerWebhookRoutes } from './modules/webhooks/index.js';
import { registerWorkspaceRoutes } from './modules/workspaces/index.js';
import {
  createRealtimeHub,
  type Deps,
  defaultWebDir,
  HttpError,
  type RealtimeHub,
  registerErrorHandler,
  registerRealtimeStream,
  registerWebApp,
  safeEqual,
} from './platform/index.js';

export type AppState = { ready: boolean };

/** Every /api/v1 route with the permission it needs: what the authorization and isolation tests walk. */
export type RouteEntry = { method: string; url: string; action?: string; public?: boolean };

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
    realtimeHub: RealtimeHub;
  }
}

/**
 * Builds the HTTP application from its dependencies. Never listens: main.ts does, and tests use inject().
 * Every module's routes live under /api/v1, behind one authentication and authorization hook.
 */
export async function buildApp(deps: Deps, state: AppState = { ready: true }): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as unknown as FastifyBaseLogger,
    bodyLimit: deps.settings.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // One line per request from our onResponse hook (debug level) instead of Fastify's two at info.
    logController: new LogController({ disableRequestLogging: true }),
    // Only when Steward runs behind a proxy it trusts: otherwise anyone could claim any address in
    // X-Forwarded-For and walk around the per-address sign-in limit.
    // (a hop count works at runtime; Fastify's types only list the other forms)
    trustProxy: deps.settings.trustProxy as boolean | string[],
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(cookie);
  // Agents' stream sockets say nothing; chat visitors send messages of up to 4,000 characters: 16 KiB frames.
  await app.register(websocket, { options: { maxPayload: 16_384 } });
  const hub = createRealtimeHub(deps.database, deps.log);
  app.decorate('realtimeHub', hub);
  app.addHook('onClose', async () => hub.close());
  // PostgreSQL cannot store NUL in text: refuse it at the door (as a 400) rather than fail in SQL (a 500).
  // Fastify's own parser (with its prototype-poisoning protection) does the parsing.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && /\\u0000/i.test(body)) {
      done(new HttpError('VALIDATION_FAILED', 'Text may not contain NUL characters (\\u0000)'), undefined);
      return;
    }
    parseJson(request, body.toString(), done);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (/%00/.test(request.url))
      throw new HttpError('VALIDATION_FAILED', 'The URL may not contain NUL characters');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    deps.metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500)
      request.log.error({ status: reply.statusCode, url: request.url }, 'request failed');
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Steward API',
        version: '1',
        description:
          'The REST API of Steward. Authenticate with a session cookie (plus the x-csrf-token header on writes) or `Authorization: Bearer <token>`. Every failure has the shape `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'steward_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // BaseLayout: no top bar (a third-party logo and a spec-URL box people don't need).
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: true, layout: 'BaseLayout' },
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (!state.ready) return reply.status(503).send({ status: 'shutting down' });
    try {
      await deps.db.execute('select 1');
      return { status: 'ready', database: deps.database.kind };
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const token = deps.settings.metricsToken;
    if (token && !safeEqual(request.headers.authorization ?? '', `Bearer ${token}`)) {
      throw new HttpError(
        'UNAUTHENTICATED',
        'The metrics need Authorization: Bearer <STEWARD_METRICS_TOKEN>',
      );
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  const catalog: RouteEntry[] = [];
  app.decorate('routeCatalog', catalog);
  await app.register(
    async (api) => {
      api.addHook('onRoute', (route) => {
        const config = (route.config ?? {}) as { action?: string; public?: boolean };
        for (const method of [route.method].flat()) {
          if (method === 'HEAD') continue;
          catalog.push({ method, url: route.url, action: config.action, public: config.public });
        }
      });
      registerAuth(api, deps);
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await registerSessionRoutes(api, deps);
      registerSetupRoutes(api, deps);
      registerPasswordResetRoutes(api, deps);
      registerWorkspaceRoutes(api, deps);
      registerPeopleRoutes(api, deps);
      registerAvailabilityRoutes(api, deps);
      registerInvitationRoutes(api, deps);
      registerTeamRoutes(api, deps);
      registerTokenRoutes(api, deps);
      registerCustomerRoutes(api, deps);
      await registerAttachmentRoutes(api, deps);
      registerCalendarRoutes(api, deps);
      registerReasonsModuleRoutes(api, deps);
      registerTemplateRoutes(api, deps);
      registerConversationRoutes(api, deps);
      registerEmailRoutes(api, deps);
      await registerBridgesModuleRoutes(api, deps);
      registerMacroModuleRoutes(api, deps);
      registerRoutingModuleRoutes(api, deps);
      registerSlaModuleRoutes(api, deps);
      registerCommitmentsModuleRoutes(api, deps);
      registerMattersModuleRoutes(api, deps);
      registerAuthorityModuleRoutes(api, deps);
      await registerPortalApiRoutes(api, deps);
      registerSurveyModuleRoutes(api, deps);
      registerUnderstandingModuleRoutes(api, deps);
      const chat = registerChatModuleRoutes(api, deps, hub);
      api.addHook('onClose', async () => chat.close());
      registerNotificationRoutes(api, deps);
      registerSearchRoutes(api, deps);
      registerAuditRoutes(api, deps);
      registerWebhookRoutes(api, deps);
      registerDataCareRoutes(api, deps);
      registerRealtimeStream(api, hub, deps.settings);
    },
    { prefix: '/api/v1' },
  );
  registerPortalPublicPages(app, deps);
  registerSurveyPublicPage(app, deps);
  registerWidgetScript(app, deps.settings.widgetDir);
  await registerWebApp(app, {
    dir: deps.settings.webDir ?? defaultWebDir,
    publicUrl: deps.settings.publicUrl,
  });
  return app;
}
