import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/** Where `scripts/build-web.ts` writes the built agent app. */
export const defaultWebDir = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));

/** Paths that belong to the server: an unknown one is a JSON 404, never the app's page. */
const serverPaths = /^\/(api|healthz|readyz|metrics)(\/|$|\?)/;
const hostPattern = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The page's policy: everything from our own origin, no inline script, no framing. The app talks only to
 * /api/v1 and the stream on the same origin (`connect-src` names ws/wss for browsers that don't count them
 * as 'self').
 */
function contentSecurityPolicy(request: FastifyRequest, publicUrl: string | undefined): string {
  const host = publicUrl ? new URL(publicUrl).host : request.host;
  const sockets = hostPattern.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(reply: FastifyReply, csp?: string): void {
  if (csp) reply.header('content-security-policy', csp);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

const missingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Steward: the web app is not built</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; color: #1f2933">
<h1>The web app is not built yet</h1>
<p>Steward is running, but the files of its web app are missing. They are built by
<code>npm install</code> and by <code>npm start</code>; to build them by hand, run
<code>npm run build:web</code> and reload this page.</p>
<p>The API works meanwhile: see <a href="/api/docs">the API reference</a>.</p>
</body></html>`;

/**
 * Serves the agent app built into `dir` at `/`: hashed files under /assets/ cached for a year (immutable),
 * `index.html` never cached, and every other GET that is not a server path answered with `index.html` (the
 * app routes in the browser). Without a build, a page that says how to make one.
 */
export async function registerWebApp(
  app: FastifyInstance,
  options: { dir: string; publicUrl?: string },
): Promise<void> {
  const indexFile = join(options.dir, 'index.html');
  const assets = join(options.dir, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // scripts/build-web.ts writes .br and .gz beside each asset: sent compressed when the client accepts it.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply) => {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
        reply.header('x-content-type-options', 'nosniff');
      },
    });
  }
  let cached: { html: string; at: number } | undefined;
  const readIndex = (): string | undefined => {
    // Re-read at most once a second: a rebuild while Steward runs is picked up without a restart.
    if (cached && Date.now() - cached.at < 1000) return cached.html;
    try {
      cached = { html: readFileSync(indexFile, 'utf8'), at: Date.now() };
      return cached.html;
    } catch {
      cached = undefined;
      return undefined;
    }
  };
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (serverPaths.test(path) || path.startsWith('/assets/'))
      throw new HttpError('ROUTE_NOT_FOUND', `No route GET ${path}`);
    const html = readIndex();
    securityHeaders(reply, contentSecurityPolicy(request, options.publicUrl));
    reply.header('cache-control', 'no-cache');
    reply.type('text/html; charset=utf-8');
    if (html === undefined) {
      // The page of a missing build has one inline style and no script.
      reply.header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      );
      return reply.status(503).send(missingPage);
    }
    return reply.send(html);
  });
}
