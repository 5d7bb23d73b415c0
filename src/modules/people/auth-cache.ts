import type { Db } from '../../db/index.js';
import type { ApiToken, Session } from './auth.repo.js';
import type { Person } from './people.repo.js';

/** How long a credential looked up in the database is believed without asking again. */
export const CREDENTIAL_TTL_MS = 5_000;
/** Enough for every token and session in use at once; beyond it the oldest entries go first. */
const MAX_ENTRIES = 10_000;

export type LiveToken = { token: ApiToken; person: Person };
export type LiveSession = { session: Session; person: Person };
type Found = LiveToken | LiveSession;
type Entry = { found: Found; until: number };

/**
 * The API tokens and sessions this process looked up in the last few seconds, by the hash of the secret, so
 * that a client sending many requests costs one lookup every CREDENTIAL_TTL_MS instead of one per request.
 *
 * - Only live credentials are kept (an unknown, revoked or expired one is looked up every time), and an
 *   entry's expiry is checked again on every use against the request's clock.
 * - Revoking a token, signing out, and changing a person (role, owner, status, password) forget the entries
 *   concerned at once, in this process. Another Steward process on the same database notices such a change
 *   within CREDENTIAL_TTL_MS: that is the only delay there is (README, security notes).
 * - A lookup that ran while something was forgotten is not stored (generation check): it may have read the
 *   state from before the change.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();
  #generation = 0;

  constructor(private readonly ttlMs = CREDENTIAL_TTL_MS) {}

  /** Call before reading the database; pass the result to `remember`. */
  generation(): number {
    return this.#generation;
  }

  token(tokenHash: string, now: Date): LiveToken | undefined {
    const found = this.#get(`t:${tokenHash}`) as LiveToken | undefined;
    if (found?.token.expiresAt && found.token.expiresAt <= now) return undefined;
    return found;
  }

  session(tokenHash: string, now: Date): LiveSession | undefined {
    const found = this.#get(`s:${tokenHash}`) as LiveSession | undefined;
    if (found && found.session.expiresAt <= now) return undefined;
    return found;
  }

  rememberToken(generation: number, found: LiveToken): void {
    this.#set(generation, `t:${found.token.tokenHash}`, found);
  }

  rememberSession(generation: number, found: LiveSession): void {
    this.#set(generation, `s:${found.session.tokenHash}`, found);
  }

  forgetToken(workspaceId: number, tokenId: number): void {
    this.#forget((f) => 'token' in f && f.token.workspaceId === workspaceId && f.token.id === tokenId);
  }

  forgetSession(workspaceId: number, sessionId: number): void {
    this.#forget(
      (f) => 'session' in f && f.session.workspaceId === workspaceId && f.session.id === sessionId,
    );
  }

  /** Every token and session of a person: after a change of role, status or password. */
  forgetPerson(workspaceId: number, personId: number): void {
    this.#forget((f) => f.person.workspaceId === workspaceId && f.person.id === personId);
  }

  #get(key: string): Found | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= performance.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.found;
  }

  #set(generation: number, key: string, found: Found): void {
    if (generation !== this.#generation) return;
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { found, until: performance.now() + this.ttlMs });
  }

  #forget(matches: (found: Found) => boolean): void {
    this.#generation++;
    for (const [key, entry] of this.#entries) if (matches(entry.found)) this.#entries.delete(key);
  }
}

const caches = new WeakMap<Db, CredentialCache>();

/**
 * The credential cache of a database handle: one per Steward process (and one per test app, each on its own
 * database), shared by the authentication hook and the services that revoke or change credentials.
 */
export function credentialCache(db: Db): CredentialCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new CredentialCache();
    caches.set(db, cache);
  }
  return cache;
}
