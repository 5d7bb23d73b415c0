import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/index.js';

/** How far a signed request's timestamp may be from our clock: older ones are replays, and refused. */
export const REPLAY_WINDOW_SECONDS = 300;

/**
 * Checks `Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` — the same
 * scheme Steward signs its own calls with, so one helper in a bridge does both.
 */
export function verifySignature(
  header: string | undefined,
  secret: string,
  body: string,
  nowSeconds: number,
): 'ok' | 'missing' | 'stale' | 'mismatch' {
  if (!header) return 'missing';
  const parts = header.split(',').map((p) => p.trim());
  const t = Number(parts.find((p) => p.startsWith('t='))?.slice(2));
  const signatures = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
  if (!Number.isInteger(t) || signatures.length === 0) return 'missing';
  if (Math.abs(nowSeconds - t) > REPLAY_WINDOW_SECONDS) return 'stale';
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return signatures.some((s) => safeEqual(s, expected)) ? 'ok' : 'mismatch';
}
