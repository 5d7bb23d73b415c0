import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer } from '../../platform/index.js';
import { registerBridgeInbound, registerBridgeRoutes } from './bridges.routes.js';
import { BRIDGES_CONSUMER, bridgesConsumer } from './outbound.consumer.js';

export { REPLY_CALL } from './outbound.consumer.js';
export { REPLAY_WINDOW_SECONDS, verifySignature } from './signature.js';

export async function registerBridgesModuleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  registerBridgeRoutes(app, deps);
  await registerBridgeInbound(app, deps);
}

export const bridgesEventConsumers: Record<string, EventConsumer> = { [BRIDGES_CONSUMER]: bridgesConsumer };
