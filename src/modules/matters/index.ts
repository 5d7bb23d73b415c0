/**
 * Matters (PRODUCT.md "Contact", "Matter"; README "Matters"): every customer contact belongs to one matter,
 * one customer's one problem, decided automatically (with the reason why) or by an agent; first-contact
 * resolution and repeat-contact rate are computed from them.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import { backfillHandler, MATTERS_BACKFILL_JOB } from './backfill.job.js';
import { escalationJobHandlers } from './escalations.jobs.js';
import { registerEscalationRoutes } from './escalations.routes.js';
import { MATTERS_CONSUMER, mattersConsumer } from './matters.consumer.js';
import { registerMatterRoutes } from './matters.routes.js';

export { queueBackfill } from './backfill.job.js';
export { isAcknowledgement, summarize } from './contacts.js';
export {
  DEFAULT_REPEAT_WINDOW_DAYS,
  decideMatter,
  type MatterCandidate,
  type MatterDecision,
} from './decide.js';
export { eraseEscalationText, workspaceOwnerId } from './escalations.repo.js';
export { teamLead } from './escalations.service.js';
export { matterOfConversation } from './matters.repo.js';

export function registerMattersModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerMatterRoutes(app, deps);
  registerEscalationRoutes(app, deps);
}

/** The module's event consumers, by name (collected by boot.ts). */
export const matterEventConsumers: Record<string, EventConsumer> = {
  [MATTERS_CONSUMER]: mattersConsumer,
};

/** The module's job handlers, by job type (collected by boot.ts). */
export function matterJobHandlers(deps: Deps): Record<string, JobHandler> {
  return { ...escalationJobHandlers(deps), [MATTERS_BACKFILL_JOB]: backfillHandler(deps) };
}
