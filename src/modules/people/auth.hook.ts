import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Deps, HttpError, type Principal, safeEqual, sha256 } from '../../platform/index.js';
import { findLiveSession, findLiveToken, touchToken } from './auth.repo.js';
import { credentialCache } from './auth-cache.js';
import { type Role, roleMatrix, tokenPermissions } from './permissions.js';

export const SESSION_COOKIE = 'steward_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** last_used_at is informational: write it at most once a minute per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

async function authenticate(deps: Deps, request: FastifyRequest): Promise<Principal | undefined> {
  const now = deps.clock.now();
  const cache = credentialCache(deps.db);
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S{16,300})$/i.exec(header);
    if (!m?.[1]) throw new HttpError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
    const hash = sha256(m[1]);
    let found = cache.token(hash, now);
    if (!found) {
      const generation = cache.generation();
      found = await findLiveToken(deps.db, hash, now);
      if (!found) throw new HttpError('UNAUTHENTICATED', 'The API token is unknown, revoked or expired');
      cache.rememberToken(generation, found);
    }
    if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await touchToken(deps.db, found.token, now);
      found.token.lastUsedAt = now; // in the cached copy too, so the next requests need not write it again
    }
    return {
      workspaceId: found.person.workspaceId,
      personId: found.person.id,
      role: found.person.role,
      via: 'token',
      tokenId: found.token.id,
      permissions: tokenPermissions(found.person.role as Role, found.token.scopes),
    };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  const hash = sha256(cookie);
  let found = cache.session(hash, now);
  if (!found) {
    const generation = cache.generation();
    found = await findLiveSession(deps.db, hash, now);
    if (!found) return undefined;
    cache.rememberSession(generation, found);
  }
  // Cookies ride along on cross-site requests; a write must also carry the session's CSRF token, which only
  // our own pages can read.
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, found.session.csrfToken)) {
      throw new HttpError('CSRF_FAILED', `A signed-in write needs the ${CSRF_HEADER} header of the session`);
    }
  }
  return {
    workspaceId: found.person.workspaceId,
    personId: found.person.id,
    role: found.person.role,
    via: 'session',
    sessionId: found.session.id,
    permissions: roleMatrix[found.person.role as Role],
  };
}

/**
 * Authentication and authorization for every route under the plugin: a route is public only when it says so,
 * and otherwise needs the permission it names. A route that names none fails at startup, not in production.
 */
export function registerAuth(app: FastifyInstance, deps: Deps): void {
  app.addHook('onRoute', (route) => {
    const config = route.config as { action?: string; public?: boolean } | undefined;
    if (!config?.public && !config?.action && !route.url.includes('*')) {
      throw new Error(`route ${route.method} ${route.url} declares neither config.action nor config.public`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config as { action?: string; public?: boolean };
    if (config.public) {
      // Public routes may still use who is signed in (e.g. GET /session), but never require it.
      request.principal = await authenticate(deps, request).catch(() => undefined);
      return;
    }
    const principal = await authenticate(deps, request);
    if (!principal) throw new HttpError('UNAUTHENTICATED', 'Sign in or send an API token');
    if (!config.action || !principal.permissions.has(config.action)) {
      throw new HttpError('FORBIDDEN', `Your role does not allow ${config.action ?? 'this'}`, {
        permission: config.action,
      });
    }
    request.principal = principal;
  });
}
