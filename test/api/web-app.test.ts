import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { createMetrics, type Deps, fakeClock } from '../../src/platform/index.js';
import { testSettings } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';

/** Serving the built web app at `/`: caching, the SPA fallback, security headers, and a missing build. */
const database = await createTestDatabase();
const built = mkdtempSync(join(tmpdir(), 'steward-web-'));
mkdirSync(join(built, 'assets'));
writeFileSync(
  join(built, 'index.html'),
  '<!doctype html><title>Steward</title><script type="module" src="/assets/app-abc123.js"></script>',
);
writeFileSync(join(built, 'assets', 'app-abc123.js'), 'console.log("app");'.repeat(100));
const empty = mkdtempSync(join(tmpdir(), 'steward-web-missing-'));

async function appServing(webDir: string, publicUrl?: string): Promise<FastifyInstance> {
  const deps: Deps = {
    database,
    db: database.db,
    clock: fakeClock('2026-03-02T09:00:00Z'),
    log: pino({ level: 'silent' }),
    metrics: createMetrics(async () => 0),
    settings: testSettings({ signInPerMinute: 100, webDir, publicUrl }),
  };
  const app = await buildApp(deps);
  after(() => app.close());
  return app;
}
after(async () => {
  await database.drop();
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

const app = await appServing(built, 'https://help.example.com');

test('/ and any app path answer index.html, never cached, under a strict CSP', async () => {
  for (const url of ['/', '/inbox/mine', '/conversations/12?x=1']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<title>Steward<\/title>/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline script');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /connect-src 'self' ws:\/\/help\.example\.com wss:\/\/help\.example\.com/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  }
});

test('hashed assets are cached for a year; unknown assets and server paths are JSON 404s', async () => {
  const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
  assert.equal(asset.statusCode, 200);
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  for (const url of [
    '/assets/missing-1.js',
    '/api/v1/nothing-here',
    '/api/nothing',
    '/metricsx/../api/v1/x',
  ]) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().error.code, 'ROUTE_NOT_FOUND', url);
  }
  const api = await app.inject({ method: 'GET', url: '/api/v1/session' });
  assert.equal(api.statusCode, 401, 'the API is untouched');
  const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(docs.statusCode, 200, 'the API reference still works');
  const post = await app.inject({ method: 'POST', url: '/inbox' });
  assert.equal(post.statusCode, 404, 'only GET falls back to the app');
});

test('without a build, a page says how to make one (503)', async () => {
  const missing = await appServing(empty);
  const res = await missing.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build:web/);
  assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
});
