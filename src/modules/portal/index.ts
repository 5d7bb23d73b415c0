import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/index.js';
import { registerFormIntakeRoutes } from './form-intake.routes.js';
import { registerFormPage } from './form-page.routes.js';
import { registerContactFormRoutes } from './forms.routes.js';
import { registerPortalPages } from './portal-pages.routes.js';
import { registerProposalRoutes } from './proposals.routes.js';

export { html, type Raw, raw, sendPage } from './page.js';
export { erasePortalData } from './portal.repo.js';
export { PORTAL_LINK_JOB } from './portal-auth.service.js';
export { portalMailJobHandlers } from './portal-mail.js';
export { PORTAL_REPLY_NOTICE_JOB, portalEventConsumers, replyNoticeJobHandlers } from './reply-notice.js';

/** The module's /api/v1 routes: contact forms (admin), the public form intake, and proposals for agents. */
export async function registerPortalApiRoutes(api: FastifyInstance, deps: Deps): Promise<void> {
  registerContactFormRoutes(api, deps);
  registerProposalRoutes(api, deps);
  await registerFormIntakeRoutes(api, deps);
}

/** The customer-facing pages outside the API: the hosted contact form and the customer portal. */
export function registerPortalPublicPages(app: FastifyInstance, deps: Deps): void {
  registerFormPage(app, deps);
  registerPortalPages(app, deps);
}
