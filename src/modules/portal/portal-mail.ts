import {
  createMailer,
  type Deps,
  isPermanentMailFailure,
  type JobHandler,
  type Mailer,
  randomSecret,
  sha256,
} from '../../platform/index.js';
import { findCustomer } from '../customers/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { findLink, setLinkToken } from './portal.repo.js';
import { PORTAL_LINK_JOB } from './portal-auth.service.js';

/** The secret sits in the fragment: browsers never send it to a server, so it stays out of access logs. */
export const portalLink = (publicUrl: string, slug: string, secret: string) =>
  `${publicUrl.replace(/\/+$/, '')}/portal/${encodeURIComponent(slug)}/auth#token=${secret}`;

/**
 * Sends a portal sign-in mail (at least once). The secret is minted here, so it is never stored in clear,
 * not even in the job's payload; a retry mints a new one and the newest link is the one that works.
 */
export function portalMailJobHandlers(
  deps: Pick<Deps, 'db' | 'settings'>,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  const { db, settings } = deps;
  return {
    [PORTAL_LINK_JOB]: {
      kind: 'external',
      async run(job, ctx) {
        const id = Number(job.payload.id);
        if (!mailer.configured || !settings.publicUrl) {
          ctx.log.warn({ id }, 'portal sign-in mail not sent: Steward cannot send e-mail');
          return;
        }
        const workspace = await findWorkspaceById(db, job.workspaceId);
        const link = await findLink(db, job.workspaceId, id);
        if (!workspace || !link || link.usedAt || link.expiresAt <= ctx.clock.now()) return;
        const customer = await findCustomer(db, job.workspaceId, link.customerId);
        if (!customer) return;
        const secret = randomSecret(32);
        const hash = sha256(secret);
        await setLinkToken(db, link, hash);
        const context = { customerLocale: customer.locale };
        const values = {
          customerName: customer.name ?? '',
          portalUrl: portalLink(settings.publicUrl, workspace.slug, secret),
        };
        const subject = await renderCustomerTemplate(
          db,
          job.workspaceId,
          'portal.sign_in.subject',
          context,
          values,
        );
        const body = await renderCustomerTemplate(
          db,
          job.workspaceId,
          'portal.sign_in.body',
          context,
          values,
        );
        try {
          await mailer.send({
            to: link.email,
            subject: subject.text,
            text: body.text,
            messageId: mailer.messageIdFor(`${ctx.idempotencyKey}.${hash.slice(0, 12)}`),
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
        } catch (err) {
          if (!isPermanentMailFailure(err)) throw err;
          ctx.log.warn({ err, id }, 'portal sign-in mail refused for good; not retried');
        }
      },
    },
  };
}
