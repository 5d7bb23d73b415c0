import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { schema } from '../../db/index.js';
import { type Failure, fail, ok } from '../../platform/index.js';

export const identityKinds = schema.identityKinds;
export type IdentityKind = schema.IdentityKind;

/** The longest chat visitor id, external id or social handle we keep. */
export const MAX_IDENTITY_LENGTH = 200;

const emailSchema = z.email().max(254);

const invalid = (kind: IdentityKind, raw: string, why: string): Failure =>
  fail('INVALID_IDENTITY', `Not a valid ${kind} identity: ${why}`, { kind, value: raw.slice(0, 300) });

/** A workspace's default country as libphonenumber wants it, or undefined when unset or unknown. */
export function phoneCountry(code: string | undefined | null): CountryCode | undefined {
  const upper = code?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}

/**
 * A phone number in E.164, read as people type it: "+49 30 1234567", "(030) 1234567" (with a default
 * country), "0049 30 1234567", "+1 (212) 555-0123 ext. 4" (the extension is dropped). Undefined when it is
 * not a valid number.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | undefined {
  // An extension is not part of the identity; anything but digits and punctuation means it is not a number.
  const text = raw.trim().replace(/\s*(?:ext\.?|x|#)\s*\d{1,6}$/i, '');
  if (text.length === 0 || text.length > 40 || !/^[+\d\s().\-/]+$/.test(text)) return undefined;
  const country = phoneCountry(defaultCountry);
  const attempts = [text];
  // "00" is the international call prefix of most of the world; try it as "+" when the default country's own
  // prefix differs (or there is no default country).
  if (/^\s*00/.test(text)) attempts.push(`+${text.replace(/^\s*00/, '')}`);
  for (const attempt of attempts) {
    const parsed = parsePhoneNumberFromString(attempt, country ? { defaultCountry: country } : undefined);
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
}

/**
 * Normalises how a customer is recognised on a channel, so one person is one identity however it is typed:
 * emails trimmed and case-folded, phones in E.164, social handles as `network:handle` in lower case, chat
 * visitor and external ids trimmed. Pure: no I/O.
 */
export function normalizeIdentity(
  kind: IdentityKind,
  raw: string,
  defaultCountry?: string,
): { ok: true; value: string } | Failure {
  if (typeof raw !== 'string') return invalid(kind, String(raw), 'not a string');
  const text = raw.trim();
  if (text.length === 0) return invalid(kind, raw, 'empty');
  switch (kind) {
    case 'email': {
      const value = text.replace(/^mailto:/i, '').toLowerCase();
      return emailSchema.safeParse(value).success ? ok(value) : invalid(kind, raw, 'not an e-mail address');
    }
    case 'phone': {
      const value = normalizePhone(text.replace(/^tel:/i, ''), defaultCountry);
      return value ? ok(value) : invalid(kind, raw, 'not a phone number');
    }
    case 'social': {
      const match = /^([a-z][a-z0-9._-]{0,39})\s*:\s*@?(\S+)$/i.exec(text);
      if (!match) return invalid(kind, raw, 'expected network:handle, e.g. x:@jane');
      const value = `${match[1]!.toLowerCase()}:${match[2]!.toLowerCase()}`;
      return value.length <= MAX_IDENTITY_LENGTH ? ok(value) : invalid(kind, raw, 'too long');
    }
    case 'chat':
    case 'external': {
      if (text.length > MAX_IDENTITY_LENGTH) return invalid(kind, raw, `longer than ${MAX_IDENTITY_LENGTH}`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
      if (/[\u0000-\u001f\u007f]/.test(text)) return invalid(kind, raw, 'contains control characters');
      return ok(text);
    }
    default:
      return invalid(kind, raw, 'unknown kind');
  }
}

/** The name a customer gets when a channel tells us nothing but the identity. */
export function defaultNameFor(kind: IdentityKind, value: string): string {
  switch (kind) {
    case 'email':
      return value.split('@')[0] || value;
    case 'social':
      return value.slice(value.indexOf(':') + 1);
    case 'chat':
      return `Visitor ${value.slice(0, 40)}`;
    default:
      return value;
  }
}
