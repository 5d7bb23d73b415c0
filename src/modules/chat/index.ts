import type { FastifyInstance } from 'fastify';
import type { Deps, RealtimeHub } from '../../platform/index.js';
import { registerChatRoutes } from './chat.routes.js';
import { type ChatRelay, createChatRelay } from './visitor-socket.js';

export { eraseChatVisitors } from './chat.repo.js';
export type { ChatRelay } from './visitor-socket.js';
export { defaultWidgetDir, registerWidgetScript } from './widget-script.js';

/** The admin routes and the visitor socket; returns the relay (closed with the app). */
export function registerChatModuleRoutes(app: FastifyInstance, deps: Deps, hub: RealtimeHub): ChatRelay {
  const relay = createChatRelay(deps, hub);
  registerChatRoutes(app, deps, relay);
  return relay;
}
