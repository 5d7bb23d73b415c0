import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import { ROUTING_CONSUMER, routingConsumer } from './routing.consumer.js';
import { registerRoutingRoutes } from './routing.routes.js';
import { SWEEP_JOB, sweepHandler } from './sweep.js';

export { type Candidate, type Choice, chooseAgent } from './choose-agent.js';
export { SWEEP_JOB, sweepKey, sweepTeam } from './sweep.js';

export function registerRoutingModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerRoutingRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export const routingJobHandlers: Record<string, JobHandler> = { [SWEEP_JOB]: sweepHandler };

/** The module's event consumers, by name (collected by boot.ts). */
export const routingEventConsumers: Record<string, EventConsumer> = { [ROUTING_CONSUMER]: routingConsumer };
