import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../support/app.js';

const t = await createTestApp();

type Operation = {
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: { additionalProperties?: unknown } }> };
};

test('the OpenAPI document describes every route, with responses and closed request bodies', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
  assert.match(doc.openapi, /^3\./);
  for (const r of t.app.routeCatalog) {
    if (r.url === '/api/v1/openapi.json') continue;
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${path} missing from the OpenAPI document`);
    assert.ok(
      // 101: the WebSocket of /stream switches protocols.
      op.responses && Object.keys(op.responses).some((s) => s.startsWith('2') || s === '101'),
      `${r.method} ${path} has no success response`,
    );
    const body = op.requestBody?.content?.['application/json']?.schema;
    if (body) assert.equal(body.additionalProperties, false, `${r.method} ${path} accepts unknown fields`);
  }
});

test('the upload route describes its multipart body: one binary `file` part', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  const content = doc.paths['/api/v1/attachments'].post.requestBody?.content;
  assert.deepEqual(Object.keys(content ?? {}), ['multipart/form-data']);
  const schema = content['multipart/form-data'].schema;
  assert.equal(schema.type, 'object');
  assert.deepEqual(schema.required, ['file']);
  assert.equal(schema.properties.file.type, 'string');
  assert.equal(schema.properties.file.format, 'binary');
});

test('the API reference page is served by Steward itself', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(page.statusCode, 200);
  assert.ok(
    !/https?:\/\/(?!localhost)[a-z0-9.-]+\.(com|net|org|io)\//i.test(
      page.body.replace(/https:\/\/swagger\.io[^"']*/g, ''),
    ),
    'no CDN assets',
  );
});
