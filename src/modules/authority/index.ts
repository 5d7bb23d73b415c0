/**
 * Front-line authority (README "Front-line authority"): the catalogue of resolution actions, authority limits per
 * role and person, grants on the spot within them and approvals above them, the ledger, and its figures.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps, JobHandler } from '../../platform/index.js';
import { authorityJobHandlers } from './authority.jobs.js';
import { registerAuthorityRoutes } from './authority.routes.js';
import { registerResolutionRoutes } from './resolutions.routes.js';

export { customerResolutions, eraseResolutionNotes } from './authority.repo.js';
export { exceededLimits, fromMinor, toMinor } from './limits.js';

export function registerAuthorityModuleRoutes(app: FastifyInstance, deps: Deps): void {
  registerAuthorityRoutes(app, deps);
  registerResolutionRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export const authorityModuleJobHandlers: Record<string, JobHandler> = authorityJobHandlers;
