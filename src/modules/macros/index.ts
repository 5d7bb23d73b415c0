import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';
import { registerMacroRoutes } from './macros.routes.js';

export { applyMacro, macroPlaceholders, renderMacro } from './macros.service.js';

export function registerMacroModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerMacroRoutes(app, deps);
}
