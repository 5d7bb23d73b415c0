import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';

export function registerSearchRoutes(_app: FastifyInstance, _deps: Deps): void {}
