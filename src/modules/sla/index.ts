import type { FastifyInstance } from 'fastify';
import { CHUNK_MS, type Deps, type EventConsumer, type JobHandler } from '../../platform/index.js';
import { deadlinesHandler, SLA_DEADLINES_JOB } from './deadlines.job.js';
import { recomputeHandler, SLA_RECOMPUTE_JOB } from './recompute.job.js';
import { SLA_CONSUMER, slaConsumer } from './sla.consumer.js';
import {
  actionsHandler,
  breachHandler,
  SLA_ACTIONS_JOB,
  SLA_BREACH_JOB,
  SLA_WARNING_JOB,
  warningHandler,
} from './sla.jobs.js';
import { registerSlaRoutes } from './sla.routes.js';

export { SLA_DEADLINES_JOB } from './deadlines.job.js';
export { SLA_BREACH_JOB, SLA_WARNING_JOB } from './sla.jobs.js';
export { type ComputedClock, computeClocks, type SlaFact } from './sla-clock.js';
export { recomputeConversationSla } from './sla-state.js';

export function registerSlaModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerSlaRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts); the breach actions need the deps. */
export function slaJobHandlers(deps: Deps): Record<string, JobHandler> {
  return {
    [SLA_WARNING_JOB]: warningHandler,
    [SLA_BREACH_JOB]: breachHandler,
    [SLA_ACTIONS_JOB]: actionsHandler(deps),
    [SLA_DEADLINES_JOB]: deadlinesHandler,
    [SLA_RECOMPUTE_JOB]: recomputeHandler(CHUNK_MS[deps.database.kind]),
  };
}

/** The module's event consumers, by name (collected by boot.ts). */
export const slaEventConsumers: Record<string, EventConsumer> = { [SLA_CONSUMER]: slaConsumer };
