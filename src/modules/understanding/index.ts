import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer } from '../../platform/index.js';
import { UNDERSTANDING_CONSUMER, understandingConsumer } from './understanding.consumer.js';
import { registerUnderstandingRoutes } from './understanding.routes.js';

export { analyseMessage, signalsOf } from './analyse.js';

/** The module's /api/v1 routes: a conversation's sentiment and distress, and an agent's correction. */
export function registerUnderstandingModuleRoutes(api: FastifyInstance, deps: Deps): void {
  registerUnderstandingRoutes(api, deps);
}

/** The module's event consumers, by name (collected by boot.ts). */
export const understandingEventConsumers: Record<string, EventConsumer> = {
  [UNDERSTANDING_CONSUMER]: understandingConsumer,
};
