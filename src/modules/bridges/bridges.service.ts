import type { BridgeChannel } from '../../db/schema/bridges.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  randomSecret,
  recordEvent,
} from '../../platform/index.js';
import { findTeam } from '../people/index.js';
import { checkWebhookUrl } from '../webhooks/index.js';
import { type Bridge, deleteBridge, insertBridge, updateBridge } from './bridges.repo.js';

export type BridgeFields = {
  name: string;
  channel: BridgeChannel;
  replyUrl?: string | null;
  teamId?: number | null;
};

async function check(deps: Deps, workspaceId: number, fields: Partial<BridgeFields>): Promise<Result<null>> {
  if (fields.teamId && !(await findTeam(deps.db, workspaceId, fields.teamId)))
    return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId: fields.teamId });
  if (fields.replyUrl) {
    // The same rules as webhooks: https (or loopback when allowed), no private or link-local addresses.
    const url = checkWebhookUrl(fields.replyUrl, deps.settings.webhooks);
    if (!url.ok) return fail('INVALID_WEBHOOK_URL', `The reply URL is refused: ${url.message}`);
  }
  return ok(null);
}

const event = (workspaceId: number, id: number, actor: Actor, type: string, now: Date) => ({
  workspaceId,
  type,
  entityType: 'messaging_bridge',
  entityId: id,
  actor,
  data: {},
  at: now,
});

export async function createBridge(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  fields: BridgeFields,
): Promise<Result<Bridge>> {
  const checked = await check(deps, workspaceId, fields);
  if (!checked.ok) return checked;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const bridge = await insertBridge(tx, {
      workspaceId,
      name: fields.name,
      channel: fields.channel,
      replyUrl: fields.replyUrl ?? null,
      teamId: fields.teamId ?? null,
      secret: `brs_${randomSecret(32)}`,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, event(workspaceId, bridge.id, actor, 'messaging_bridge.created', now));
    return ok(bridge);
  });
}

export async function changeBridge(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  fields: Partial<BridgeFields> & { rotateSecret?: boolean },
): Promise<Result<Bridge>> {
  const checked = await check(deps, workspaceId, fields);
  if (!checked.ok) return checked;
  const { rotateSecret, ...rest } = fields;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const after = await updateBridge(tx, workspaceId, id, {
      ...rest,
      ...(rotateSecret ? { secret: `brs_${randomSecret(32)}` } : {}),
      updatedAt: now,
    });
    if (!after) return fail('BRIDGE_NOT_FOUND', 'Messaging bridge not found');
    await recordEvent(tx, event(workspaceId, id, actor, 'messaging_bridge.changed', now));
    return ok(after);
  });
}

export async function removeBridge(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    if (!(await deleteBridge(tx, workspaceId, id)))
      return fail('BRIDGE_NOT_FOUND', 'Messaging bridge not found');
    await recordEvent(tx, event(workspaceId, id, actor, 'messaging_bridge.removed', deps.clock.now()));
    return ok(null);
  });
}
