import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret: `whsec_` and 32 random bytes (base64url). */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * `Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: one `v1` per
 * secret that signs (two during a rotation's grace period). The key is the whole secret string, `whsec_`
 * included, as UTF-8.
 */
export function signatureHeader(secrets: readonly string[], unixSeconds: number, body: string): string {
  const parts = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`,
  );
  return [`t=${unixSeconds}`, ...parts].join(',');
}
