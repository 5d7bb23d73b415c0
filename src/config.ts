import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Parsed once at boot; a bad value stops boot with a message that names
 * the variable. Every variable here is listed in README.md ("Configuration").
 */
const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  STEWARD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  STEWARD_PUBLIC_URL: z.string().url().optional(),
  STEWARD_WORKSPACE_NAME: z.string().min(1).max(120).default('My company'),
  STEWARD_WORKSPACE_SLUG: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes')
    .default('default'),
  STEWARD_ADMIN_EMAIL: z.string().email().optional(),
  STEWARD_ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').max(200).optional(),
  STEWARD_BOOTSTRAP_TOKEN: z.string().min(24, 'at least 24 characters').max(200).optional(),
  STEWARD_AUTO_CLOSE_DAYS: z.coerce.number().int().min(1).max(365).default(4),
  STEWARD_JOB_POLL_MS: z.coerce.number().int().min(20).max(1000).default(250),
  STEWARD_WORKERS: z.enum(['on', 'off']).default('on'),
  STEWARD_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  STEWARD_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(1_048_576),
  STEWARD_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  STEWARD_CHAT_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  STEWARD_TRUST_PROXY: z
    .string()
    .regex(
      /^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/,
      'false, true, a hop count or addresses',
    )
    .default('false'),
  STEWARD_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').max(200).optional(),
  STEWARD_WEBHOOKS_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
  STEWARD_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  STEWARD_WEBHOOKS_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  STEWARD_ATTACHMENTS_DIR: z.string().min(1).optional(),
  STEWARD_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1_000_000_000).default(26_214_400),
  STEWARD_MESSAGE_ATTACHMENTS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4_000_000_000)
    .default(41_943_040),
  STEWARD_EXPORT_KEEP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  STEWARD_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must start with smtp:// or smtps://')
    .optional(),
  STEWARD_MAIL_FROM: z
    .string()
    .max(300)
    .regex(/^([^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, 'an address, or Name <address>')
    .optional(),
  STEWARD_SMTP_PORT: z.union([z.literal('off'), portSchema]).default(2525),
  STEWARD_SMTP_HOST: z.string().min(1).optional(),
  STEWARD_EMAIL_MAX_BYTES: z.coerce.number().int().min(10_240).max(200_000_000).default(26_214_400),
  STEWARD_EMAIL_PER_SENDER_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  STEWARD_SECRET_KEY: z.string().min(32, 'at least 32 characters').max(500).optional(),
  STEWARD_IMAP_ALLOW_INSECURE: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
  publicUrl: string | undefined;
  workspaceName: string;
  workspaceSlug: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  bootstrapToken: string | undefined;
  autoCloseDays: number;
  jobPollMs: number;
  workers: boolean;
  cookieSecure: 'auto' | boolean;
  bodyLimit: number;
  signInPerMinute: number;
  chatConnectsPerMinute: number;
  trustProxy: boolean | number | string[];
  metricsToken: string | undefined;
  webhooks: { allowLoopback: boolean; allowPrivate: boolean; pauseAfterFailures: number };
  attachmentsDir: string | undefined;
  attachmentMaxBytes: number;
  messageAttachmentsMaxBytes: number;
  exportKeepDays: number;
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** The inbound SMTP server's port (0: any free one); undefined: off. */
  smtpPort: number | undefined;
  smtpHost: string;
  emailMaxBytes: number;
  emailPerSenderPerHour: number;
  /** Seals passwords Steward must read back (IMAP); unset: a key file in the data dir. */
  secretKey: string | undefined;
  /** IMAP without TLS, and to loopback/private hosts (tests, a mail server on the same network). */
  imapAllowInsecure: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {}

function parseTrustProxy(v: string): boolean | number | string[] {
  if (v === 'false' || v === 'true') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.STEWARD_MESSAGE_ATTACHMENTS_MAX_BYTES < e.STEWARD_ATTACHMENT_MAX_BYTES) {
    throw new ConfigError(
      'Invalid configuration:\n  STEWARD_MESSAGE_ATTACHMENTS_MAX_BYTES must be at least STEWARD_ATTACHMENT_MAX_BYTES',
    );
  }
  if ((e.STEWARD_ADMIN_EMAIL === undefined) !== (e.STEWARD_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  STEWARD_ADMIN_EMAIL and STEWARD_ADMIN_PASSWORD must be set together',
    );
  }
  if ((e.STEWARD_SMTP_URL === undefined) !== (e.STEWARD_MAIL_FROM === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  STEWARD_SMTP_URL and STEWARD_MAIL_FROM must be set together',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.STEWARD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    publicUrl: e.STEWARD_PUBLIC_URL,
    workspaceName: e.STEWARD_WORKSPACE_NAME,
    workspaceSlug: e.STEWARD_WORKSPACE_SLUG,
    adminEmail: e.STEWARD_ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.STEWARD_ADMIN_PASSWORD,
    bootstrapToken: e.STEWARD_BOOTSTRAP_TOKEN,
    autoCloseDays: e.STEWARD_AUTO_CLOSE_DAYS,
    jobPollMs: e.STEWARD_JOB_POLL_MS,
    workers: e.STEWARD_WORKERS === 'on',
    cookieSecure: e.STEWARD_COOKIE_SECURE === 'auto' ? 'auto' : e.STEWARD_COOKIE_SECURE === 'true',
    bodyLimit: e.STEWARD_BODY_LIMIT_BYTES,
    signInPerMinute: e.STEWARD_SIGN_IN_PER_MINUTE,
    chatConnectsPerMinute: e.STEWARD_CHAT_CONNECTS_PER_MINUTE,
    trustProxy: parseTrustProxy(e.STEWARD_TRUST_PROXY),
    metricsToken: e.STEWARD_METRICS_TOKEN,
    webhooks: {
      allowLoopback: e.STEWARD_WEBHOOKS_ALLOW_LOOPBACK === 'true',
      allowPrivate: e.STEWARD_WEBHOOKS_ALLOW_PRIVATE === 'true',
      pauseAfterFailures: e.STEWARD_WEBHOOKS_PAUSE_AFTER_FAILURES,
    },
    attachmentsDir: e.STEWARD_ATTACHMENTS_DIR ? resolve(e.STEWARD_ATTACHMENTS_DIR) : undefined,
    attachmentMaxBytes: e.STEWARD_ATTACHMENT_MAX_BYTES,
    messageAttachmentsMaxBytes: e.STEWARD_MESSAGE_ATTACHMENTS_MAX_BYTES,
    exportKeepDays: e.STEWARD_EXPORT_KEEP_DAYS,
    smtpUrl: e.STEWARD_SMTP_URL,
    mailFrom: e.STEWARD_MAIL_FROM,
    smtpPort: e.STEWARD_SMTP_PORT === 'off' ? undefined : e.STEWARD_SMTP_PORT,
    smtpHost: e.STEWARD_SMTP_HOST ?? e.HOST,
    emailMaxBytes: e.STEWARD_EMAIL_MAX_BYTES,
    emailPerSenderPerHour: e.STEWARD_EMAIL_PER_SENDER_PER_HOUR,
    secretKey: e.STEWARD_SECRET_KEY,
    imapAllowInsecure: e.STEWARD_IMAP_ALLOW_INSECURE === 'true',
    logLevel: e.LOG_LEVEL,
  };
}
