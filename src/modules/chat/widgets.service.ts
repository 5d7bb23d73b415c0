import {
  type Deps,
  fail,
  inTransaction,
  ok,
  type Principal,
  type Result,
  randomSecret,
  recordEvent,
} from '../../platform/index.js';
import { findTeam } from '../people/index.js';
import { type ChatWidget, deleteWidget, findWidget, insertWidget, updateWidget } from './chat.repo.js';

export type WidgetInput = {
  name: string;
  greeting: string;
  color: string;
  allowedOrigins: string[];
  teamId: number | null;
};

export const DEFAULT_GREETING = 'Hi! How can we help?';
export const DEFAULT_COLOR = '#2f6fed';

const person = (p: Principal) => ({ type: 'person' as const, id: p.personId });
const notFound = () => fail('CHAT_WIDGET_NOT_FOUND', 'Chat widget not found');

async function teamProblem(deps: Deps, workspaceId: number, teamId: number | null | undefined) {
  if (teamId && !(await findTeam(deps.db, workspaceId, teamId)))
    return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId });
  return undefined;
}

export async function createWidget(
  deps: Deps,
  p: Principal,
  input: Partial<WidgetInput> & { name: string },
): Promise<Result<ChatWidget>> {
  const bad = await teamProblem(deps, p.workspaceId, input.teamId);
  if (bad) return bad;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const widget = await insertWidget(tx, {
      workspaceId: p.workspaceId,
      publicKey: `cw_${randomSecret(18)}`,
      name: input.name,
      greeting: input.greeting ?? DEFAULT_GREETING,
      color: input.color ?? DEFAULT_COLOR,
      allowedOrigins: input.allowedOrigins ?? [],
      teamId: input.teamId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'chat_widget.created',
      entityType: 'chat_widget',
      entityId: widget.id,
      actor: person(p),
      data: { name: widget.name, teamId: widget.teamId, allowedOrigins: widget.allowedOrigins },
      at: now,
    });
    return ok(widget);
  });
}

export async function changeWidget(
  deps: Deps,
  p: Principal,
  id: number,
  patch: Partial<WidgetInput>,
): Promise<Result<ChatWidget>> {
  const bad = await teamProblem(deps, p.workspaceId, patch.teamId);
  if (bad) return bad;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const before = await findWidget(tx, p.workspaceId, id);
    if (!before) return notFound();
    const after = await updateWidget(tx, p.workspaceId, id, { ...patch, updatedAt: now });
    if (!after) return notFound();
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'chat_widget.changed',
      entityType: 'chat_widget',
      entityId: id,
      actor: person(p),
      data: { changed: Object.keys(patch) },
      at: now,
    });
    return ok(after);
  });
}

/** Deleting a widget forgets its visitors (their conversations stay, with their customers). */
export async function removeWidget(deps: Deps, p: Principal, id: number): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    if (!(await deleteWidget(tx, p.workspaceId, id))) return notFound();
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'chat_widget.deleted',
      entityType: 'chat_widget',
      entityId: id,
      actor: person(p),
      data: {},
      at: deps.clock.now(),
    });
    return ok(null);
  });
}
