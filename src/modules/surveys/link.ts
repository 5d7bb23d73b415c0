import { createHmac } from 'node:crypto';
import { randomSecret, sha256 } from '../../platform/index.js';

/**
 * The survey link's token: an HMAC of the instance key over the survey and a random nonce. The database keeps
 * the nonce and the token's SHA-256 only, so a copy of the database alone opens no survey; the reminder
 * rebuilds the same token for the same link.
 */
export function surveyToken(secretKey: string, workspaceId: number, surveyId: number, nonce: string): string {
  return createHmac('sha256', secretKey)
    .update(`survey-link:${workspaceId}:${surveyId}:${nonce}`)
    .digest('base64url');
}

export const newNonce = () => randomSecret(16);
export const tokenHash = (token: string) => sha256(token);

/** A token looks like one (43 base64url characters) before any lookup. */
export const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/survey/${token}`;
}
