import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';
import { registerDepartmentRoutes } from './departments.routes.js';
import { registerReasonRoutes } from './reasons.routes.js';

export { type Department, findDepartment } from './departments.repo.js';
export { importTaxonomy } from './import-taxonomy.service.js';
export { type ContactReason, findReason, listReasons } from './reasons.repo.js';
export { usableContactReason } from './reasons.service.js';
export { CSV_COLUMNS, exportTaxonomyCsv, parseTaxonomyCsv, planImport } from './reasons-csv.js';

export function registerReasonsModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerDepartmentRoutes(app, deps);
  registerReasonRoutes(app, deps);
}
