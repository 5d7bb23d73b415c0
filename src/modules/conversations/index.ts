import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';

export function registerConversationRoutes(_app: FastifyInstance, _deps: Deps): void {}

export const conversationJobHandlers: Record<string, import('../../platform/index.js').JobHandler> = {};
