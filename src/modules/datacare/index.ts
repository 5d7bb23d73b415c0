import type { FastifyInstance } from 'fastify';
import type { AppSettings, Deps, JobHandler } from '../../platform/index.js';
import { registerEraseRoutes } from './erase.routes.js';
import { registerExportRoutes } from './export.routes.js';
import { EXPORT_JOB, EXPORT_PURGE_JOB, exportHandler, exportPurgeHandler } from './export.service.js';

export { type Erasure, type ErasureReason, eraseCustomer, erasureReasons } from './erase.service.js';
export { EXPORT_FORMAT_VERSION, requestExport } from './export.service.js';

export function registerDataCareRoutes(app: FastifyInstance, deps: Deps): void {
  registerEraseRoutes(app, deps);
  registerExportRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export function dataCareJobHandlers(settings: AppSettings): Record<string, JobHandler> {
  return { [EXPORT_JOB]: exportHandler(settings), [EXPORT_PURGE_JOB]: exportPurgeHandler(settings) };
}
