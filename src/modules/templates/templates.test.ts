import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { templateDefinition, templateKeys } from './defaults.js';
import { localeChain, normalizeLocale, renderTemplate, templateProblems } from './render.js';
import { renderCustomerTemplate } from './templates.service.js';

const t = await createTestApp();

describe('template rules (pure)', () => {
  test('locales are normalised and chained: customer, its language, workspace, English', () => {
    assert.equal(normalizeLocale('de_at'), 'de-AT');
    assert.equal(normalizeLocale('EN-gb'), 'en-GB');
    assert.equal(normalizeLocale('not a locale'), null);
    assert.deepEqual(localeChain('de-AT', 'fr-CH'), ['de-AT', 'de', 'fr-CH', 'fr', 'en']);
    assert.deepEqual(localeChain(null, 'en'), ['en']);
    assert.deepEqual(localeChain('???', undefined), ['en']);
  });

  test('every shipped text parses, uses only its placeholders, and exists in English and German', () => {
    for (const key of templateKeys) {
      const d = templateDefinition(key);
      for (const locale of ['en', 'de'] as const) {
        assert.ok(d.texts[locale].length > 0, `${key} ${locale}`);
        assert.deepEqual(templateProblems(d.texts[locale], d.format, d.placeholders), [], `${key} ${locale}`);
      }
      assert.notEqual(d.texts.en, d.texts.de, `${key}: German is not English`);
    }
  });

  test("README's table of keys is the registry", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const rows = readme
      .split('\n')
      .map((l) => /^\| \*\*`([a-z_.]+)`\*\* \| (text|html) \| (.*) \|$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2], m[3] === '–' ? [] : [...m[3]!.matchAll(/`(\w+)`/g)].map((x) => x[1])]);
    assert.deepEqual(
      rows,
      templateKeys.map((k) => [k, templateDefinition(k).format, [...templateDefinition(k).placeholders]]),
    );
  });

  test('HTML templates escape values, text templates do not; sections drop missing words', () => {
    const html = renderTemplate('<p>Hello{{#customerName}} {{customerName}}{{/customerName}},</p>', 'html', {
      customerName: 'Tom & <Jerry>',
    });
    assert.equal(html, '<p>Hello Tom &amp; &lt;Jerry&gt;,</p>');
    assert.equal(
      renderTemplate('Hello{{#customerName}} {{customerName}}{{/customerName}},', 'text', {}),
      'Hello,',
    );
    assert.equal(renderTemplate('{{subject}}', 'text', { subject: 'A & B <c>' }), 'A & B <c>');
    assert.equal(
      renderTemplate('<a href="{{portalUrl}}">', 'html', {
        portalUrl: 'https://x.test/a?b=1" onclick="evil',
      }),
      '<a href="https://x.test/a?b=1&quot; onclick=&quot;evil">',
    );
  });

  test('overrides are checked: syntax, unknown placeholders, unescaped HTML, partials', () => {
    const allowed = ['customerName', 'subject'] as const;
    assert.match(templateProblems('Hi {{#customerName}}', 'text', allowed)[0]!, /does not parse/);
    assert.match(
      templateProblems('Hi {{custmerName}}', 'text', allowed)[0]!,
      /unknown placeholder \{\{custmerName\}\}/,
    );
    assert.match(templateProblems('Hi {{{subject}}}', 'html', allowed)[0]!, /unescaped/);
    assert.deepEqual(templateProblems('Hi {{{subject}}}', 'text', allowed), []);
    assert.match(templateProblems('{{> footer}}', 'text', allowed)[0]!, /partials/);
  });
});

describe('customer templates API and rendering', () => {
  test('override, render with the fallback chain, reset; every change is an event', async () => {
    const ws = await t.workspace();
    const db = t.deps.db;
    const values = { reference: '42', customerName: 'Anna', subject: 'Paket' };
    // No customer locale, no workspace locale: English.
    let r = await renderCustomerTemplate(db, ws.id, 'acknowledgement.subject', {}, values);
    assert.deepEqual([r.locale, r.source, r.text], ['en', 'default', 'We have received your request [#42]']);
    // A German customer (de-AT falls back to de).
    r = await renderCustomerTemplate(
      db,
      ws.id,
      'acknowledgement.subject',
      { customerLocale: 'de-AT' },
      values,
    );
    assert.deepEqual([r.locale, r.text], ['de', 'Wir haben Ihre Anfrage erhalten [#42]']);
    // A French customer in a workspace whose locale is German: German.
    await call(t.app, ws.owner, 'PATCH', '/api/v1/workspace', { settings: { locale: 'de-DE' } });
    r = await renderCustomerTemplate(db, ws.id, 'widget.send_button', { customerLocale: 'fr' }, {});
    assert.deepEqual([r.locale, r.text], ['de', 'Senden']);

    // The workspace words its own Austrian greeting; the Austrian customer gets it, a German one the default.
    const put = await call(t.app, ws.owner, 'PUT', '/api/v1/templates/acknowledgement.body/de_AT', {
      text: '<p>Servus{{#customerName}} {{customerName}}{{/customerName}}!</p><p>{{companyName}} kümmert sich um „{{subject}}“.</p>',
    });
    assert.equal(put.statusCode, 200, put.body);
    const at = put.json().texts.find((x: { locale: string }) => x.locale === 'de-AT');
    assert.deepEqual([at.overridden, at.default], [true, null]);
    r = await renderCustomerTemplate(
      db,
      ws.id,
      'acknowledgement.body',
      { customerLocale: 'de-AT' },
      { customerName: 'Anna <3', subject: 'Paket & Post' },
    );
    assert.deepEqual([r.locale, r.source, r.format], ['de-AT', 'override', 'html']);
    assert.equal(
      r.text,
      `<p>Servus Anna &lt;3!</p><p>Workspace ${ws.slug} kümmert sich um „Paket &amp; Post“.</p>`,
      'values escaped, companyName from the workspace',
    );
    r = await renderCustomerTemplate(db, ws.id, 'acknowledgement.body', { customerLocale: 'de-DE' }, values);
    assert.equal(r.source, 'default');
    assert.match(r.text, /^<p>Guten Tag Anna,<\/p><p>vielen Dank/);

    // Bad overrides are refused and change nothing.
    const bad = await call(t.app, ws.owner, 'PUT', '/api/v1/templates/acknowledgement.body/de-AT', {
      text: '{{{subject}}} {{orderNumber}}',
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.code, 'INVALID_TEMPLATE');
    assert.equal(bad.json().error.details.problems.length, 2);
    assert.equal(
      (await call(t.app, ws.owner, 'PUT', '/api/v1/templates/acknowledgement.body/xx_!!', { text: 'x' }))
        .statusCode,
      400,
    );
    assert.equal(
      (await call(t.app, ws.owner, 'GET', '/api/v1/templates/no.such.key')).json().error.code,
      'VALIDATION_FAILED',
    );

    const reset = await call(t.app, ws.owner, 'DELETE', '/api/v1/templates/acknowledgement.body/de-AT');
    assert.equal(reset.statusCode, 204);
    r = await renderCustomerTemplate(db, ws.id, 'acknowledgement.body', { customerLocale: 'de-AT' }, values);
    assert.deepEqual([r.locale, r.source], ['de', 'default']);
    const events = (
      await db.execute(
        `select type, data from events where workspace_id = ${ws.id} and entity_type = 'customer_template' order by id`,
      )
    ).rows as Array<{ type: string; data: Record<string, unknown> }>;
    assert.deepEqual(
      events.map((e) => [e.type, e.data.key, e.data.locale]),
      [
        ['template.overridden', 'acknowledgement.body', 'de-AT'],
        ['template.reset', 'acknowledgement.body', 'de-AT'],
      ],
    );
    assert.equal(events[0]!.data.before, null);
  });

  test('list and preview for the admin page; another workspace is untouched', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    await call(t.app, ws.owner, 'PUT', '/api/v1/templates/widget.greeting/en', {
      text: 'Welcome to {{companyName}}!',
    });
    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/templates')).json();
    assert.equal(list.defaultLocale, 'en');
    assert.deepEqual(list.shippedLocales, ['en', 'de']);
    assert.equal(list.items.length, templateKeys.length);
    const greeting = list.items.find((i: { key: string }) => i.key === 'widget.greeting');
    assert.deepEqual(
      greeting.placeholders.map((p: { name: string }) => p.name),
      ['companyName'],
    );
    const en = greeting.texts.find((x: { locale: string }) => x.locale === 'en');
    assert.deepEqual(
      [en.text, en.overridden, en.default],
      ['Welcome to {{companyName}}!', true, 'Hi there! How can we help you today?'],
    );
    const theirs = (await call(t.app, other.owner, 'GET', '/api/v1/templates/widget.greeting')).json();
    assert.equal(theirs.texts.find((x: { locale: string }) => x.locale === 'en').overridden, false);

    const preview = await call(t.app, ws.owner, 'POST', '/api/v1/templates/survey_invitation.body/preview', {
      customerLocale: 'de',
    });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().locale, 'de');
    assert.match(preview.json().text, /Guten Tag Alex Example,.*href="https:\/\/help\.example\.com\/s\/abc"/);
    const draft = await call(t.app, ws.owner, 'POST', '/api/v1/templates/widget.greeting/preview', {
      text: 'Moin {{companyName}}',
      values: { companyName: 'Hafen & Co' },
    });
    assert.equal(draft.json().text, 'Moin Hafen & Co');
    const wrong = await call(t.app, ws.owner, 'POST', '/api/v1/templates/widget.greeting/preview', {
      text: 'Moin {{agentName}}',
    });
    assert.equal(wrong.json().error.code, 'INVALID_TEMPLATE');
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/templates')).statusCode, 200);
    assert.equal(
      (await call(t.app, agent, 'PUT', '/api/v1/templates/widget.greeting/en', { text: 'x' })).statusCode,
      403,
    );
  });
});
