import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';
import { registerEraseRoutes } from './erase.routes.js';

export { type Erasure, type ErasureReason, eraseCustomer, erasureReasons } from './erase.service.js';

export function registerDataCareRoutes(app: FastifyInstance, deps: Deps): void {
  registerEraseRoutes(app, deps);
}
