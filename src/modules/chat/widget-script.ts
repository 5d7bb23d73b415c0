import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../platform/index.js';

/** Where `scripts/build-web.ts` writes the widget (git-ignored). */
export const defaultWidgetDir = resolve(fileURLToPath(new URL('../../../widget/dist', import.meta.url)));

type Loaded = { plain: Buffer; gzip?: Buffer; etag: string; mtimeMs: number };

/**
 * `GET /widget.js`: the chat widget for any site's pages. Any origin may load it (CORS `*`, cross-origin
 * resource policy), it is cached for 5 minutes and revalidated by ETag (its name carries no hash, so a new
 * version must reach pages soon), and sent gzipped when the browser accepts it.
 */
export function registerWidgetScript(app: FastifyInstance, dir = defaultWidgetDir): void {
  const file = join(dir, 'widget.js');
  let loaded: Loaded | undefined;
  const load = (): Loaded | undefined => {
    try {
      const { mtimeMs } = statSync(file);
      if (loaded?.mtimeMs === mtimeMs) return loaded;
      const plain = readFileSync(file);
      let gzip: Buffer | undefined;
      try {
        gzip = readFileSync(`${file}.gz`);
      } catch {}
      const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 22)}"`;
      loaded = { plain, gzip, etag, mtimeMs };
      return loaded;
    } catch {
      return undefined;
    }
  };
  app.get('/widget.js', { schema: { hide: true } }, async (request, reply) => {
    const script = load();
    if (!script) throw new HttpError('NOT_READY', 'The chat widget is not built: run npm run build:web');
    reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'public, max-age=300');
    reply.header('etag', script.etag);
    reply.header('vary', 'accept-encoding');
    reply.type('application/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
    if (script.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip');
      return reply.send(script.gzip);
    }
    return reply.send(script.plain);
  });
}
