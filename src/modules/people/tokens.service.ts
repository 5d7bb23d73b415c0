import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  randomSecret,
  recordEvent,
  sha256,
} from '../../platform/index.js';
import { type ApiToken, findToken, insertToken, revokeToken } from './auth.repo.js';
import { credentialCache } from './auth-cache.js';
import { findPerson } from './people.repo.js';
import { type Role, scopesBeyondRole } from './permissions.js';

/** Tokens look like `stw_<43 characters>`: the prefix makes a leaked token easy to find with secret scanners. */
export const newTokenValue = () => `stw_${randomSecret(32)}`;

export async function createToken(
  deps: Deps,
  workspaceId: number,
  personId: number,
  actor: Actor,
  input: { name: string; scopes: string[]; expiresAt?: Date; value?: string },
): Promise<Result<{ token: ApiToken; value: string }>> {
  return inTransaction(deps.db, async (tx) => {
    const person = await findPerson(tx, workspaceId, personId);
    if (person?.status !== 'active') return fail('PERSON_NOT_FOUND', 'Person not found');
    const beyond = scopesBeyondRole(person.role as Role, input.scopes);
    if (beyond.length > 0) {
      return fail('SCOPE_EXCEEDS_ROLE', `A ${person.role} cannot hold these scopes: ${beyond.join(', ')}`, {
        scopes: beyond,
      });
    }
    const value = input.value ?? newTokenValue();
    const now = deps.clock.now();
    const token = await insertToken(tx, {
      workspaceId,
      name: input.name,
      tokenHash: sha256(value),
      prefix: value.slice(0, 8),
      personId,
      scopes: [...new Set(input.scopes)],
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
    });
    if (!token) return fail('VALIDATION_FAILED', 'This token value is already in use');
    await recordEvent(tx, {
      workspaceId,
      type: 'token.created',
      entityType: 'token',
      entityId: token.id,
      actor,
      data: { after: { name: token.name, scopes: token.scopes, personId } },
      at: now,
    });
    return ok({ token, value });
  });
}

/** Revokes a token. Only its owner or someone with tokens.admin may; others get 404, as if it did not exist. */
export async function revokeTokenById(
  deps: Deps,
  workspaceId: number,
  id: number,
  caller: { personId: number; canAdminister: boolean },
  actor: Actor,
): Promise<Result<ApiToken>> {
  const result = await inTransaction(deps.db, async (tx) => {
    const token = await findToken(tx, workspaceId, id);
    if (!token || (!caller.canAdminister && token.personId !== caller.personId)) {
      return fail('TOKEN_NOT_FOUND', 'Token not found');
    }
    const now = deps.clock.now();
    const revoked = (await revokeToken(tx, workspaceId, id, now)) ?? token;
    await recordEvent(tx, {
      workspaceId,
      type: 'token.revoked',
      entityType: 'token',
      entityId: id,
      actor,
      data: {},
      at: now,
    });
    return ok(revoked);
  });
  if (result.ok) credentialCache(deps.db).forgetToken(workspaceId, id);
  return result;
}
