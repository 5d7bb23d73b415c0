import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';

export function registerCustomerRoutes(_app: FastifyInstance, _deps: Deps): void {}
