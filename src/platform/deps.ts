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
  /** Fastify's trustProxy: false, true, a hop count or a list of proxy addresses (STEWARD_TRUST_PROXY). */
  trustProxy: boolean | number | string[];
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** The built web app (default: web/dist of the checkout). */
  webDir?: string;
};
