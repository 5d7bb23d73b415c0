import {
  type Deps,
  enqueueJob,
  fail,
  inTransaction,
  ok,
  type Result,
  randomSecret,
  recordEvent,
  sha256,
  systemActor,
} from '../../platform/index.js';
import {
  findCustomer,
  findCustomerIncludingMerged,
  findIdentityByValue,
  normalizeIdentity,
} from '../customers/index.js';
import {
  countRecentLinks,
  deleteSessionByHash,
  findSessionByHash,
  insertLink,
  insertSession,
  lockLinkByHash,
  markLinkUsed,
  type PortalSession,
} from './portal.repo.js';

export const PORTAL_LINK_JOB = 'portal.sign_in_link';
export const LINK_TTL_MS = 30 * 60_000;
export const PORTAL_SESSION_TTL_MS = 7 * 24 * 3600_000;
/** At most this many sign-in mails per customer and hour; more requests are dropped without a word. */
export const LINKS_PER_HOUR = 3;

export const canSendPortalMail = (settings: Deps['settings']) =>
  Boolean(settings.smtpUrl && settings.mailFrom && settings.publicUrl);

/**
 * A customer asks for a sign-in link. Whatever happens here, the caller answers the same, so nobody learns
 * whether an address is known. The secret is minted when the mail goes out (never stored in clear).
 */
export async function requestPortalLink(deps: Deps, workspaceId: number, email: string): Promise<void> {
  const normalized = normalizeIdentity('email', email);
  if (!normalized.ok) return;
  const identity = await findIdentityByValue(deps.db, workspaceId, 'email', normalized.value);
  if (!identity) return;
  if (!canSendPortalMail(deps.settings)) {
    deps.log.warn(
      { workspaceId, customerId: identity.customerId },
      'portal sign-in link asked for, but Steward cannot send e-mail: set STEWARD_SMTP_URL, STEWARD_MAIL_FROM and STEWARD_PUBLIC_URL',
    );
    return;
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const since = new Date(now.getTime() - 3600_000);
    if ((await countRecentLinks(tx, workspaceId, identity.customerId, since)) >= LINKS_PER_HOUR) return;
    const link = await insertLink(tx, {
      workspaceId,
      customerId: identity.customerId,
      email: normalized.value,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_TTL_MS),
    });
    await enqueueJob(
      tx,
      { workspaceId, type: PORTAL_LINK_JOB, payload: { id: link.id }, runAt: now, maxAttempts: 5 },
      now,
    );
    await recordEvent(tx, {
      workspaceId,
      type: 'customer.portal_link_requested',
      entityType: 'customer',
      entityId: identity.customerId,
      actor: systemActor,
      data: {},
      at: now,
    });
  });
}

export type NewPortalSession = { secret: string; session: PortalSession };

/** Opens a portal session with a link's secret: once, before it expires, for a customer still there. */
export async function redeemPortalLink(
  deps: Deps,
  workspaceId: number,
  token: string,
): Promise<Result<NewPortalSession>> {
  const invalid = fail('VALIDATION_FAILED', 'This link is unknown, used or expired: ask for a new one');
  if (token.length < 20 || token.length > 200) return invalid;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const link = await lockLinkByHash(tx, sha256(token));
    // Another workspace's portal neither uses the link nor tells it exists.
    if (!link || link.workspaceId !== workspaceId || link.expiresAt <= now) return invalid;
    const customer = await findCustomer(tx, link.workspaceId, link.customerId);
    if (!customer) return invalid;
    await markLinkUsed(tx, link, now);
    const secret = randomSecret(32);
    const session = await insertSession(tx, {
      workspaceId: link.workspaceId,
      customerId: link.customerId,
      tokenHash: sha256(secret),
      createdAt: now,
      expiresAt: new Date(now.getTime() + PORTAL_SESSION_TTL_MS),
    });
    await recordEvent(tx, {
      workspaceId: link.workspaceId,
      type: 'customer.portal_signed_in',
      entityType: 'customer',
      entityId: link.customerId,
      actor: { type: 'customer', id: link.customerId },
      data: {},
      at: now,
    });
    return ok({ secret, session });
  });
}

/**
 * The customer a portal cookie signs in: the session's, or, when agents merged that customer into another
 * since, the one it was merged into (their conversations moved there).
 */
export async function portalSessionOf(
  deps: Deps,
  secret: string | undefined,
): Promise<{ workspaceId: number; customerId: number } | undefined> {
  if (!secret || secret.length > 200) return undefined;
  const session = await findSessionByHash(deps.db, sha256(secret), deps.clock.now());
  if (!session) return undefined;
  let customerId = session.customerId;
  for (let hop = 0; hop < 5; hop++) {
    const customer = await findCustomerIncludingMerged(deps.db, session.workspaceId, customerId);
    if (!customer) return undefined;
    if (!customer.mergedIntoId) return { workspaceId: session.workspaceId, customerId };
    customerId = customer.mergedIntoId;
  }
  return undefined;
}

export async function endPortalSession(deps: Deps, secret: string): Promise<void> {
  await deleteSessionByHash(deps.db, sha256(secret));
}

/** The token a signed-in page puts in its forms: bound to the session, never stored. */
export const portalCsrfToken = (secret: string) => sha256(`steward-portal-csrf:${secret}`);
