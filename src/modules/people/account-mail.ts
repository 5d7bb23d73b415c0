import {
  createMailer,
  type Deps,
  isPermanentMailFailure,
  type JobHandler,
  type Mailer,
  randomSecret,
  sha256,
} from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  findInvitation,
  findPasswordReset,
  setPasswordResetToken,
  updateInvitation,
} from './accounts.repo.js';
import { findPerson } from './people.repo.js';

/** One job type for both account mails: `{ kind: 'password_reset' | 'invitation', id }`. */
export const ACCOUNT_MAIL_JOB = 'people.account_mail';

export const RESET_TTL_MS = 3600_000;
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/**
 * Account mails carry a link, so they need a mail server and Steward's public address: a link built from the
 * request's Host header could point anywhere an attacker likes (password-reset poisoning).
 */
export function canSendAccountMail(settings: Deps['settings']): boolean {
  return Boolean(settings.smtpUrl && settings.mailFrom && settings.publicUrl);
}

export const cannotSendMessage =
  'Steward cannot send e-mail: set STEWARD_SMTP_URL, STEWARD_MAIL_FROM and STEWARD_PUBLIC_URL';

/** A new one-time secret: only its SHA-256 is stored. */
export function mintLinkSecret(): { secret: string; hash: string } {
  const secret = randomSecret(32);
  return { secret, hash: sha256(secret) };
}

function base(publicUrl: string | undefined): string {
  return (publicUrl ?? '').replace(/\/+$/, '');
}

/** The secret sits in the fragment: browsers never send it to a server, so it stays out of access logs. */
export const resetLink = (publicUrl: string | undefined, secret: string) =>
  `${base(publicUrl)}/reset-password#token=${secret}`;
export const invitationLink = (publicUrl: string | undefined, secret: string) =>
  `${base(publicUrl)}/accept-invitation#token=${secret}`;

export function resetMail(
  person: { name: string; email: string },
  workspace: { name: string; slug: string },
  link: string,
) {
  return {
    subject: 'Set a new password for Steward',
    text: [
      `Hello ${person.name},`,
      '',
      `Someone, hopefully you, asked to set a new password for ${person.email} in the workspace`,
      `${workspace.name} (${workspace.slug}) on Steward. Choose your new password here:`,
      '',
      link,
      '',
      'The link works once, for one hour. If you did not ask for it, ignore this e-mail: your password',
      'stays as it is.',
      '',
      'Steward',
    ].join('\n'),
  };
}

export function invitationMail(
  person: { name: string; email: string; role: string },
  workspace: { name: string; slug: string },
  inviterName: string | undefined,
  link: string,
) {
  const who = inviterName ?? 'An admin';
  return {
    subject: `${who} invited you to ${workspace.name} on Steward`,
    text: [
      `Hello ${person.name},`,
      '',
      `${who} invited you to join ${workspace.name} on Steward as ${person.role}.`,
      'Choose your password here to accept:',
      '',
      link,
      '',
      `The link works once, for 7 days. Afterwards you sign in with the workspace "${workspace.slug}"`,
      `and the address ${person.email}.`,
      '',
      'Steward',
    ].join('\n'),
  };
}

/**
 * Sends a password-reset or invitation mail. The secret is minted here, at sending time, so it is never
 * stored in clear, not even in the job's payload; a retry mints a new one and the newest link is the one
 * that works.
 */
export function accountMailJobHandlers(
  deps: Pick<Deps, 'db' | 'settings'>,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  const { db, settings } = deps;
  return {
    [ACCOUNT_MAIL_JOB]: {
      kind: 'external',
      async run(job, ctx) {
        const id = Number(job.payload.id);
        const kind = job.payload.kind;
        if (!mailer.configured || !settings.publicUrl) {
          ctx.log.warn({ kind, id }, `account e-mail not sent: ${cannotSendMessage}`);
          return;
        }
        const workspace = await findWorkspaceById(db, job.workspaceId);
        if (!workspace) return;
        const now = ctx.clock.now();
        let mail: { to: string; subject: string; text: string };
        let linkHash: string;
        if (kind === 'password_reset') {
          const reset = await findPasswordReset(db, job.workspaceId, id);
          if (!reset || reset.usedAt || reset.expiresAt <= now) return;
          const person = await findPerson(db, job.workspaceId, reset.personId);
          if (person?.status !== 'active') return;
          const { secret, hash } = mintLinkSecret();
          await setPasswordResetToken(db, reset, hash);
          linkHash = hash;
          mail = { to: person.email, ...resetMail(person, workspace, resetLink(settings.publicUrl, secret)) };
        } else if (kind === 'invitation') {
          const invitation = await findInvitation(db, job.workspaceId, id);
          if (!invitation || invitation.acceptedAt || invitation.expiresAt <= now) return;
          const person = await findPerson(db, job.workspaceId, invitation.personId);
          if (person?.status !== 'invited') return;
          const inviter = invitation.invitedById
            ? await findPerson(db, job.workspaceId, invitation.invitedById)
            : undefined;
          const { secret, hash } = mintLinkSecret();
          await updateInvitation(db, invitation, { tokenHash: hash });
          linkHash = hash;
          mail = {
            to: person.email,
            ...invitationMail(person, workspace, inviter?.name, invitationLink(settings.publicUrl, secret)),
          };
        } else {
          return;
        }
        try {
          await mailer.send({
            ...mail,
            // A retry carries a new link: a new Message-ID too, so a receiver that drops repeats keeps it.
            messageId: mailer.messageIdFor(`${ctx.idempotencyKey}.${linkHash.slice(0, 12)}`),
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
        } catch (err) {
          if (!isPermanentMailFailure(err)) throw err;
          ctx.log.warn({ err, kind, id }, 'account e-mail refused for good; not retried');
        }
      },
    },
  };
}
