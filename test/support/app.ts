import { after } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { eventConsumers, jobHandlers } from '../../src/boot.js';
import { createToken, createWorkspaceWithOwner, type Role } from '../../src/modules/people/index.js';
import { createMetrics, createWorker, type Deps, fakeClock, type Worker } from '../../src/platform/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export type Clock = ReturnType<typeof fakeClock>;

export type Caller = {
  workspaceId: number;
  personId: number;
  role: Role;
  token: string;
  email: string;
  password: string;
};

export type TestApp = {
  app: FastifyInstance;
  deps: Deps;
  database: TestDatabase;
  clock: Clock;
  worker: Worker;
  /** A new workspace with its owner (an admin), signed in by an all:write API token. */
  workspace(slug?: string): Promise<TestWorkspace>;
};

export type TestWorkspace = {
  id: number;
  slug: string;
  owner: Caller;
  /** A new person of that role in this workspace, with an all:write token (cut down to the role). */
  person(role: Role): Promise<Caller>;
};

const harnesses = new WeakMap<FastifyInstance, TestApp>();

/** The test app an app instance belongs to (for helpers that are handed only the app). */
export function harnessOf(app: FastifyInstance): TestApp {
  const harness = harnesses.get(app);
  if (!harness) throw new Error('not an app made by createTestApp');
  return harness;
}

/** Settings for an app under test: the production defaults, loopback webhooks allowed, and the overrides. */
export function testSettings(overrides: Partial<Deps['settings']> = {}): Deps['settings'] {
  return {
    autoCloseDays: 4,
    cookieSecure: false,
    bodyLimit: 1_048_576,
    signInPerMinute: 10_000,
    trustProxy: false,
    // Receivers in tests are local HTTP servers: loopback allowed unless a test says otherwise.
    webhooks: { allowLoopback: true, allowPrivate: false, pauseAfterFailures: 10 },
    attachmentMaxBytes: 26_214_400,
    messageAttachmentsMaxBytes: 41_943_040,
    exportKeepDays: 7,
    secretKey: 'test-secret-key-test-secret-key-0123456789',
    // The fake IMAP server of the tests listens on loopback without TLS.
    imapAllowInsecure: true,
    ...overrides,
  };
}

let counter = 0;
const unique = () =>
  `${process.pid.toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * One app per test file on its own database, a fake clock, and a job worker the test drives by hand
 * (`worker.drain()`), so nothing runs behind the test's back. Closed after the file's tests: call it at the
 * top level of the test file (`const t = await createTestApp();`), not inside a hook.
 */
export async function createTestApp(
  options: {
    autoCloseDays?: number;
    start?: string;
    signInPerMinute?: number;
    metricsToken?: string;
    webhooks?: Partial<Deps['settings']['webhooks']>;
    attachmentsDir?: string;
    attachmentMaxBytes?: number;
    messageAttachmentsMaxBytes?: number;
    /** Outgoing mail (a loopback SMTP server in tests); unset: no e-mail. */
    smtpUrl?: string;
    mailFrom?: string;
    publicUrl?: string;
    chatConnectsPerMinute?: number;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = fakeClock(options.start ?? '2026-03-02T09:00:00Z');
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const deps: Deps = {
    database,
    db: database.db,
    clock,
    log,
    metrics: createMetrics(async () => 0),
    settings: testSettings({
      autoCloseDays: options.autoCloseDays ?? 4,
      signInPerMinute: options.signInPerMinute ?? 10_000,
      metricsToken: options.metricsToken,
      webhooks: { ...testSettings().webhooks, ...options.webhooks },
      attachmentsDir: options.attachmentsDir,
      attachmentMaxBytes: options.attachmentMaxBytes ?? 26_214_400,
      messageAttachmentsMaxBytes: options.messageAttachmentsMaxBytes ?? 41_943_040,
      smtpUrl: options.smtpUrl,
      mailFrom: options.smtpUrl ? (options.mailFrom ?? 'Steward <steward@example.test>') : undefined,
      publicUrl: options.publicUrl,
      chatConnectsPerMinute: options.chatConnectsPerMinute,
    }),
  };
  const app = await buildApp(deps);
  await app.ready();
  const worker = createWorker({
    db: database.db,
    clock,
    log,
    handlers: jobHandlers(deps),
    consumers: eventConsumers(deps),
    pollMs: 20,
  });
  // Event consumers start at the present when they first run: run them once now, so every event the
  // tests write from here on reaches them.
  await worker.drain();
  after(async () => {
    await worker.stop();
    await app.close();
    await database.drop();
  });

  async function tokenFor(workspaceId: number, personId: number): Promise<string> {
    const result = await createToken(
      deps,
      workspaceId,
      personId,
      { type: 'system' },
      { name: 'test', scopes: ['all:write'] },
    );
    if (!result.ok) throw new Error(result.message);
    return result.value.value;
  }

  const harness: TestApp = {
    app,
    deps,
    database,
    clock,
    worker,
    async workspace(slug = `ws-${unique()}`) {
      const password = 'correct horse battery staple';
      const email = `owner-${unique()}@example.com`;
      const created = await createWorkspaceWithOwner(deps, {
        slug,
        name: `Workspace ${slug}`,
        adminEmail: email,
        adminPassword: password,
      });
      if (!created.ok) throw new Error(created.message);
      const ws = created.value.workspace;
      const owner: Caller = {
        workspaceId: ws.id,
        personId: created.value.owner.id,
        role: 'admin',
        token: await tokenFor(ws.id, created.value.owner.id),
        email,
        password,
      };
      return {
        id: ws.id,
        slug: ws.slug,
        owner,
        async person(role: Role) {
          const personEmail = `${role}-${unique()}@example.com`;
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/people',
            headers: { authorization: `Bearer ${owner.token}` },
            payload: { email: personEmail, name: `A ${role}`, role, password },
          });
          if (res.statusCode !== 201) throw new Error(`could not create ${role}: ${res.body}`);
          const personId = res.json().person.id as number;
          return {
            workspaceId: ws.id,
            personId,
            role,
            token: await tokenFor(ws.id, personId),
            email: personEmail,
            password,
          };
        },
      };
    },
  };
  harnesses.set(app, harness);
  return harness;
}

/** A JSON request as a caller (by token). */
export async function call(
  app: FastifyInstance,
  caller: Pick<Caller, 'token'> | null,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: caller ? { authorization: `Bearer ${caller.token}` } : {},
    payload: payload as Record<string, unknown> | undefined,
  });
}

export type SessionCaller = { cookie: string; csrfToken: string };

/** Signs a caller in through the API: the session cookie and the CSRF token a browser would hold. */
export async function signIn(
  app: FastifyInstance,
  workspace: string,
  caller: Pick<Caller, 'email' | 'password'>,
) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { workspace, email: caller.email, password: caller.password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'steward_session')?.value;
  if (!cookie) throw new Error('no session cookie');
  return { cookie, csrfToken: res.json().csrfToken as string } satisfies SessionCaller;
}

/** A JSON request as a signed-in browser would send it: cookie, plus the CSRF header on writes. */
export async function callWithSession(
  app: FastifyInstance,
  session: SessionCaller,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    cookies: { steward_session: session.cookie },
    headers: method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken },
    payload: payload as Record<string, unknown> | undefined,
  });
}
