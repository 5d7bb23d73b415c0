import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

/** The message a bad environment stops boot with. */
function rejection(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  test('defaults: port 3000, ./data, the embedded database, workers on', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.workers, true);
    assert.equal(config.jobPollMs, 250);
    assert.ok(config.jobPollMs <= 1_000, 'a due job starts within a second');
    assert.equal(config.cookieSecure, 'auto');
    assert.equal(config.smtpPort, 2525, 'mail is received on 2525 by default');
    assert.equal(loadConfig({ STEWARD_SMTP_PORT: 'off' }).smtpPort, undefined);
    assert.equal(loadConfig({ STEWARD_SMTP_PORT: '0' }).smtpPort, 0);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.workspaceSlug, 'default');
    assert.equal(config.adminEmail, undefined);
    assert.equal(config.bootstrapToken, undefined);
  });

  test('PORT=0 is accepted (a free port is picked); values are honoured; empty means unset', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
    const config = loadConfig({
      PORT: '8080',
      STEWARD_DATA_DIR: '/tmp/steward-data',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/steward',
      STEWARD_WORKERS: 'off',
      STEWARD_ADMIN_EMAIL: 'Owner@Example.COM',
      STEWARD_ADMIN_PASSWORD: 'a long enough password',
      STEWARD_BOOTSTRAP_TOKEN: 'x'.repeat(32),
      LOG_LEVEL: 'warn',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, '/tmp/steward-data');
    assert.equal(config.databaseUrl, 'postgres://postgres@127.0.0.1:5432/steward');
    assert.equal(config.workers, false);
    assert.equal(config.adminEmail, 'owner@example.com');
    assert.equal(config.bootstrapToken, 'x'.repeat(32));
    assert.equal(config.logLevel, 'warn');
    assert.equal(loadConfig({ PORT: '' }).port, 3000);
  });

  const bad: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://localhost/steward'],
    ['DATABASE_POOL_SIZE', '0'],
    ['STEWARD_PUBLIC_URL', 'not a url'],
    ['STEWARD_WORKSPACE_SLUG', 'Has Spaces'],
    ['STEWARD_BOOTSTRAP_TOKEN', 'short'],
    ['STEWARD_JOB_POLL_MS', '5000'],
    ['STEWARD_WORKERS', 'maybe'],
    ['STEWARD_COOKIE_SECURE', 'yes'],
    ['LOG_LEVEL', 'loud'],
    ['STEWARD_SMTP_URL', 'http://mail.example.com'],
    ['STEWARD_MAIL_FROM', 'Steward <not an address>'],
  ];
  for (const [name, value] of bad) {
    test(`${name}=${value} is rejected with the variable named`, () => {
      const message = rejection({ [name]: value });
      assert.match(message, new RegExp(`\\b${name}\\b`));
    });
  }

  test('every bad variable is named at once', () => {
    const message = rejection({ PORT: 'abc', LOG_LEVEL: 'loud' });
    assert.match(message, /\bPORT\b/);
    assert.match(message, /\bLOG_LEVEL\b/);
  });

  test('STEWARD_ADMIN_EMAIL without STEWARD_ADMIN_PASSWORD (or the reverse) is rejected', () => {
    assert.match(rejection({ STEWARD_ADMIN_EMAIL: 'owner@example.com' }), /STEWARD_ADMIN_PASSWORD/);
    assert.match(rejection({ STEWARD_ADMIN_PASSWORD: 'a long enough password' }), /STEWARD_ADMIN_EMAIL/);
    assert.match(
      rejection({ STEWARD_ADMIN_EMAIL: 'not-an-email', STEWARD_ADMIN_PASSWORD: 'a long enough password' }),
      /STEWARD_ADMIN_EMAIL/,
    );
    assert.match(
      rejection({ STEWARD_ADMIN_EMAIL: 'owner@example.com', STEWARD_ADMIN_PASSWORD: 'short' }),
      /STEWARD_ADMIN_PASSWORD/,
    );
  });

  test('mail: STEWARD_SMTP_URL and STEWARD_MAIL_FROM together, or neither (no e-mail)', () => {
    const none = loadConfig({});
    assert.equal(none.smtpUrl, undefined);
    assert.equal(none.mailFrom, undefined);
    const both = loadConfig({
      STEWARD_SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      STEWARD_MAIL_FROM: 'Acme Support <support@acme.test>',
    });
    assert.equal(both.smtpUrl, 'smtps://user:secret@mail.example.com:465');
    assert.equal(both.mailFrom, 'Acme Support <support@acme.test>');
    assert.equal(
      loadConfig({ STEWARD_SMTP_URL: 'smtp://127.0.0.1:25', STEWARD_MAIL_FROM: 'a@b.test' }).mailFrom,
      'a@b.test',
    );
    assert.match(rejection({ STEWARD_SMTP_URL: 'smtp://127.0.0.1:25' }), /STEWARD_MAIL_FROM/);
    assert.match(rejection({ STEWARD_MAIL_FROM: 'a@b.test' }), /STEWARD_SMTP_URL/);
  });
});
