import { count, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type AppState, buildApp } from './app.js';
import type { Config } from './config.js';
import { type Database, lockDataDir, migrate, openPglite, openPostgres, schema } from './db/index.js';
import { loadDemoData } from './demo-command.js';
import { attachmentJobHandlers } from './modules/attachments/index.js';
import { authorityModuleJobHandlers } from './modules/authority/index.js';
import { bridgesEventConsumers } from './modules/bridges/index.js';
import { commitmentEventConsumers, commitmentJobHandlers } from './modules/commitments/index.js';
import { conversationJobHandlers } from './modules/conversations/index.js';
import { dataCareJobHandlers } from './modules/datacare/index.js';
import {
  emailEventConsumers,
  emailJobHandlers,
  type MailListener,
  startMailListener,
} from './modules/email/index.js';
import { matterEventConsumers, matterJobHandlers } from './modules/matters/index.js';
import { notificationEventConsumers, notificationsJobHandlers } from './modules/notifications/index.js';
import { accountMailJobHandlers, ensureFirstWorkspace, type FirstStart } from './modules/people/index.js';
import {
  portalEventConsumers,
  portalMailJobHandlers,
  replyNoticeJobHandlers,
} from './modules/portal/index.js';
import { routingEventConsumers, routingJobHandlers } from './modules/routing/index.js';
import { slaEventConsumers, slaJobHandlers } from './modules/sla/index.js';
import { surveyEventConsumers, surveyJobHandlers } from './modules/surveys/index.js';
import { understandingEventConsumers, understandingJobHandlers } from './modules/understanding/index.js';
import { webhookEventConsumers, webhookJobHandlers } from './modules/webhooks/index.js';
import {
  type Clock,
  createMetrics,
  createWorker,
  type Deps,
  type EventConsumer,
  flushRealtimeAfterCommit,
  type JobHandler,
  loadSecretKey,
  releaseInterruptedJobs,
  systemClock,
  type Worker,
} from './platform/index.js';

export type Steward = {
  app: FastifyInstance;
  deps: Deps;
  worker: Worker | undefined;
  firstStart: FirstStart;
  /** The address it listens on, when started with listen. */
  url?: string;
  /** The SMTP server for the support addresses (STEWARD_SMTP_PORT; absent when `off`). */
  mail?: MailListener;
  /** Graceful: stops taking requests, finishes those in flight and the running jobs, closes the database. */
  stop(): Promise<void>;
};

/** Every module's job handlers, by job type. Handlers that talk to the outside world get the database and settings. */
export function jobHandlers(deps: Deps): Record<string, JobHandler> {
  return {
    ...attachmentJobHandlers(deps.settings),
    ...conversationJobHandlers,
    ...dataCareJobHandlers(deps.settings),
    ...emailJobHandlers(deps),
    ...notificationsJobHandlers(deps),
    ...routingJobHandlers,
    ...slaJobHandlers(deps),
    ...commitmentJobHandlers,
    ...matterJobHandlers(deps),
    ...authorityModuleJobHandlers,
    ...surveyJobHandlers(deps),
    ...understandingJobHandlers,
    ...accountMailJobHandlers(deps),
    ...portalMailJobHandlers(deps),
    ...replyNoticeJobHandlers(deps),
    ...webhookJobHandlers(deps),
  };
}

/** Every consumer of the event log, by a stable name (its cursor is stored under it). */
export function eventConsumers(deps: Pick<Deps, 'settings'>): Record<string, EventConsumer> {
  return {
    ...notificationEventConsumers(deps),
    ...webhookEventConsumers,
    ...routingEventConsumers,
    ...slaEventConsumers,
    ...commitmentEventConsumers,
    ...emailEventConsumers,
    ...bridgesEventConsumers,
    ...portalEventConsumers(deps),
    ...surveyEventConsumers,
    ...understandingEventConsumers,
    ...matterEventConsumers,
  };
}

export async function openDatabase(
  config: Config,
  log: Logger,
): Promise<{ database: Database; unlock: () => void }> {
  if (config.databaseUrl) {
    const database = await openPostgres(config.databaseUrl, config.poolSize);
    log.info({ database: 'postgres' }, 'connected to PostgreSQL');
    return { database, unlock: () => {} };
  }
  const unlock = lockDataDir(config.dataDir);
  try {
    const database = await openPglite({ dataDir: config.dataDir });
    log.info({ database: 'pglite', dataDir: config.dataDir }, 'opened the embedded database');
    return { database, unlock };
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function startSteward(
  config: Config,
  log: Logger,
  options: {
    clock?: Clock;
    listen?: boolean;
    database?: Database;
    /** Without STEWARD_ADMIN_*: create the first workspace's owner with a generated password (the demo). */
    generateOwner?: boolean;
  } = {},
): Promise<Steward> {
  const clock = options.clock ?? systemClock;
  const opened = options.database
    ? { database: options.database, unlock: () => {} }
    : await openDatabase(config, log);
  const { database, unlock } = opened;
  await migrate(database);
  const db = database.db;
  const metrics = createMetrics(async () => {
    const [row] = await db
      .select({ n: count() })
      .from(schema.jobs)
      .where(inArray(schema.jobs.status, ['queued']));
    return row?.n ?? 0;
  });
  const deps: Deps = {
    database,
    db,
    clock,
    log,
    metrics,
    settings: {
      autoCloseDays: config.autoCloseDays,
      cookieSecure: config.cookieSecure,
      bodyLimit: config.bodyLimit,
      publicUrl: config.publicUrl,
      signInPerMinute: config.signInPerMinute,
      chatConnectsPerMinute: config.chatConnectsPerMinute,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
      webhooks: config.webhooks,
      attachmentsDir: config.attachmentsDir,
      attachmentMaxBytes: config.attachmentMaxBytes,
      messageAttachmentsMaxBytes: config.messageAttachmentsMaxBytes,
      exportKeepDays: config.exportKeepDays,
      smtpUrl: config.smtpUrl,
      mailFrom: config.mailFrom,
      emailMaxBytes: config.emailMaxBytes,
      emailPerSenderPerHour: config.emailPerSenderPerHour,
      secretKey: loadSecretKey(config.secretKey, config.dataDir),
      imapAllowInsecure: config.imapAllowInsecure,
    },
  };
  deps.demo = { load: (workspaceId) => loadDemoData(deps, workspaceId, log) };
  if (config.smtpUrl && !config.publicUrl)
    log.warn(
      'STEWARD_SMTP_URL is set but STEWARD_PUBLIC_URL is not: password-reset and invitation mails need it for their links, and are not sent',
    );
  const firstStart = await ensureFirstWorkspace(deps, {
    slug: config.workspaceSlug,
    name: config.workspaceName,
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    bootstrapToken: config.bootstrapToken,
    generateOwner: options.generateOwner,
  });
  if (database.kind === 'pglite') {
    const released = await releaseInterruptedJobs(db, clock.now());
    if (released > 0) log.warn({ released }, 'jobs interrupted by the last stop will run again');
  }
  const state: AppState = { ready: true };
  const app = await buildApp(deps, state);
  const worker = config.workers
    ? createWorker({
        db,
        clock,
        log: log.child({ component: 'jobs' }),
        handlers: jobHandlers(deps),
        consumers: eventConsumers(deps),
        pollMs: config.jobPollMs,
        onFailure: (job) =>
          metrics.jobFailures.inc({ type: job.type, final: String(job.attempts >= job.maxAttempts) }),
        onSuccess: (job) => metrics.jobsSucceeded.inc({ type: job.type }),
      })
    : undefined;
  let url: string | undefined;
  if (options.listen !== false) {
    url = await app.listen({ port: config.port, host: config.host });
  }
  const mail =
    config.smtpPort === undefined
      ? undefined
      : await startMailListener(deps, { port: config.smtpPort, host: config.smtpHost });
  worker?.start();
  let stopping: Promise<void> | undefined;
  return {
    app,
    deps,
    worker,
    firstStart,
    url,
    mail,
    stop() {
      stopping ??= (async () => {
        state.ready = false;
        await mail?.close();
        await app.close();
        await worker?.stop();
        await flushRealtimeAfterCommit(database.db);
        if (!options.database) await database.close();
        unlock();
      })();
      return stopping;
    },
  };
}
