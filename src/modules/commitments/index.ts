import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import {
  COMMITMENT_DUE_JOB,
  COMMITMENT_OVERDUE_JOB,
  dueHandler,
  overdueHandler,
} from './commitments.jobs.js';
import { registerCommitmentRoutes } from './commitments.routes.js';
import { registerCommitmentFigureRoutes } from './figures.routes.js';
import { COMMITMENTS_CONSUMER, suggestionsConsumer } from './suggestions.consumer.js';

export { type Commitment, eraseCommitmentText, openForConversations } from './commitments.repo.js';
export { commitmentSchema, presentCommitment } from './commitments.routes.js';
export { dueForCustomer, promiseZones } from './customer-time.js';
export { closeOfBusinessDays, parseDuePhrase } from './due-phrase.js';
export { keptRate } from './kept-rate.js';
export { findPromises } from './promise-patterns.js';

export function registerCommitmentsModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerCommitmentRoutes(app, deps);
  registerCommitmentFigureRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export const commitmentJobHandlers: Record<string, JobHandler> = {
  [COMMITMENT_DUE_JOB]: dueHandler,
  [COMMITMENT_OVERDUE_JOB]: overdueHandler,
};

/** The module's event consumers, by name (collected by boot.ts). */
export const commitmentEventConsumers: Record<string, EventConsumer> = {
  [COMMITMENTS_CONSUMER]: suggestionsConsumer,
};
