import type { Logger } from 'pino';
import type { Database, Db } from '../db/index.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';

/** What every module's routes and services receive from the composition root. Plain values, no container. */
export type Deps = {
  database: Database;
  db: Db;
  clock: Clock;
  log: Logger;
  settings: AppSettings;
  metrics: Metrics;
  /**
   * Loads the demo data set into a workspace (the setup page's "add demo conversations"). Given by the
   * composition root, which may use the demo module; absent where nothing loads it (tests of other modules).
   */
  demo?: { load(workspaceId: number): Promise<void> };
};

export type AppSettings = {
  /** Days after which a solved conversation closes by itself. */
  autoCloseDays: number;
  /** Secure flag of cookies: `auto` follows the request's protocol. */
  cookieSecure: 'auto' | boolean;
  bodyLimit: number;
  publicUrl?: string;
  /** Sign-in attempts allowed per client address and minute (accounts also lock after 5 failures). */
  signInPerMinute: number;
  /** Live-chat visitor sockets a client address may open per minute (STEWARD_CHAT_CONNECTS_PER_MINUTE; 120). */
  chatConnectsPerMinute?: number;
  /** Fastify's trustProxy: false, true, a hop count or a list of proxy addresses (STEWARD_TRUST_PROXY). */
  trustProxy: boolean | number | string[];
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Outgoing mail relay (STEWARD_SMTP_URL); unset: no e-mail is sent. */
  smtpUrl?: string;
  /** The sender of every mail (STEWARD_MAIL_FROM). */
  mailFrom?: string;
  /** Attachment content goes to this directory (STEWARD_ATTACHMENTS_DIR); by default into the database. */
  attachmentsDir?: string;
  /** Largest attachment (STEWARD_ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: number;
  /** Largest total of the attachments of one message (STEWARD_MESSAGE_ATTACHMENTS_MAX_BYTES). */
  messageAttachmentsMaxBytes: number;
  /** Days a finished workspace export stays downloadable (STEWARD_EXPORT_KEEP_DAYS). */
  exportKeepDays: number;
  /** Largest received mail, raw (STEWARD_EMAIL_MAX_BYTES; default 25 MiB). */
  emailMaxBytes?: number;
  /** Mails one sender may send a workspace per hour before getting a temporary refusal (default 60). */
  emailPerSenderPerHour?: number;
  /** The instance's key for secrets it must read back, such as IMAP passwords (STEWARD_SECRET_KEY or a key file). */
  secretKey?: string;
  /** IMAP without TLS and to loopback/private hosts allowed (STEWARD_IMAP_ALLOW_INSECURE). */
  imapAllowInsecure?: boolean;
  /** Outbound webhooks (STEWARD_WEBHOOKS_*). */
  webhooks: WebhookSettings;
  /** The built web app (default: web/dist of the checkout). */
  webDir?: string;
  /** The built chat widget (default: widget/dist of the checkout). */
  widgetDir?: string;
};

export type WebhookSettings = {
  /** `http:` to loopback and loopback addresses allowed (tests, a bridge on the same machine). */
  allowLoopback: boolean;
  /** Private network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) allowed. */
  allowPrivate: boolean;
  /** A subscription is paused after this many deliveries in a row failed for good. */
  pauseAfterFailures: number;
};
