import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Session and token secrets are stored only as SHA-256: a database leak reveals no usable secret. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
