import Mustache from 'mustache';
import type { MacroActions } from '../../db/schema/macros.js';
import {
  type Deps,
  fail,
  inTransaction,
  ok,
  type Principal,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import {
  type Conversation,
  type ConversationPatch,
  callerOf,
  changeConversation,
  findConversation,
} from '../conversations/index.js';
import { findCustomer } from '../customers/index.js';
import { findPerson, findTeam } from '../people/index.js';
import { templateProblems } from '../templates/index.js';
import { deleteMacro, findVisibleMacro, insertMacro, type Macro, updateMacro } from './macros.repo.js';

/** The placeholders a macro's text may use. */
export const macroPlaceholders = [
  'customer.name',
  'customer.first_name',
  'customer.last_name',
  'customer.company',
  'agent.name',
  'agent.first_name',
  'conversation.id',
  'conversation.subject',
] as const;

export type MacroInput = { name: string; body: string; actions?: MacroActions; shared?: boolean };

const person = (p: Principal) => ({ type: 'person' as const, id: p.personId });

/** Shared macros are the workspace's: only those with `macros.admin` create, change or delete them. */
function mayChange(p: Principal, macro: { ownerId: number | null }): boolean {
  return macro.ownerId === null ? p.permissions.has('macros.admin') : macro.ownerId === p.personId;
}

async function macroProblems(deps: Deps, workspaceId: number, input: Partial<MacroInput>): Promise<string[]> {
  const problems = input.body === undefined ? [] : templateProblems(input.body, 'text', macroPlaceholders);
  const a = input.actions;
  if (a?.assigneeId) {
    const who = await findPerson(deps.db, workspaceId, a.assigneeId);
    if (who?.status !== 'active')
      problems.push(`assign to: person ${a.assigneeId} is not an active colleague`);
  }
  if (a?.teamId && !(await findTeam(deps.db, workspaceId, a.teamId)))
    problems.push(`move to team: team ${a.teamId} does not exist`);
  const overlap = (a?.addTags ?? []).filter((t) => a?.removeTags?.includes(t));
  if (overlap.length) problems.push(`a tag cannot be both added and removed: ${overlap.join(', ')}`);
  return problems;
}

const invalid = (problems: string[]) =>
  fail('INVALID_MACRO', `The macro cannot be saved: ${problems.join('; ')}`, { problems });

export async function createMacro(deps: Deps, p: Principal, input: MacroInput): Promise<Result<Macro>> {
  if (input.shared && !p.permissions.has('macros.admin'))
    return fail('FORBIDDEN', 'Only leads and admins keep the shared macros; save it as your own instead');
  const problems = await macroProblems(deps, p.workspaceId, input);
  if (problems.length) return invalid(problems);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const macro = await insertMacro(tx, {
      workspaceId: p.workspaceId,
      name: input.name,
      body: input.body,
      actions: input.actions ?? {},
      ownerId: input.shared ? null : p.personId,
      createdById: p.personId,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'macro.created',
      entityType: 'macro',
      entityId: macro.id,
      actor: person(p),
      at: now,
      data: { name: macro.name, shared: macro.ownerId === null },
    });
    return ok(macro);
  });
}

export async function changeMacro(
  deps: Deps,
  p: Principal,
  id: number,
  input: Partial<MacroInput>,
): Promise<Result<Macro>> {
  const before = await findVisibleMacro(deps.db, p.workspaceId, p.personId, id);
  if (!before) return fail('MACRO_NOT_FOUND', 'Macro not found');
  if (!mayChange(p, before) || (input.shared === true && !p.permissions.has('macros.admin')))
    return fail('FORBIDDEN', 'Only leads and admins change the shared macros');
  const problems = await macroProblems(deps, p.workspaceId, input);
  if (problems.length) return invalid(problems);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const after = await updateMacro(tx, p.workspaceId, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.body !== undefined && { body: input.body }),
      ...(input.actions !== undefined && { actions: input.actions }),
      ...(input.shared !== undefined && { ownerId: input.shared ? null : (before.ownerId ?? p.personId) }),
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'macro.updated',
      entityType: 'macro',
      entityId: id,
      actor: person(p),
      at: now,
      data: { name: after.name, shared: after.ownerId === null },
    });
    return ok(after);
  });
}

export async function removeMacro(deps: Deps, p: Principal, id: number): Promise<Result<null>> {
  const before = await findVisibleMacro(deps.db, p.workspaceId, p.personId, id);
  if (!before) return fail('MACRO_NOT_FOUND', 'Macro not found');
  if (!mayChange(p, before)) return fail('FORBIDDEN', 'Only leads and admins delete the shared macros');
  return inTransaction(deps.db, async (tx) => {
    await deleteMacro(tx, p.workspaceId, id);
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'macro.deleted',
      entityType: 'macro',
      entityId: id,
      actor: person(p),
      at: deps.clock.now(),
      data: { name: before.name },
    });
    return ok(null);
  });
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';
const lastName = (name: string) => {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? parts.at(-1)! : '';
};

/** The macro's text for this conversation: values go in as they are (a reply is plain text), never re-parsed. */
export function renderMacro(
  body: string,
  values: {
    customer: { name: string; company: string | null };
    agent: { name: string };
    conversation: Conversation;
  },
): string {
  const view = {
    customer: {
      name: values.customer.name,
      first_name: firstName(values.customer.name),
      last_name: lastName(values.customer.name),
      company: values.customer.company ?? '',
    },
    agent: { name: values.agent.name, first_name: firstName(values.agent.name) },
    conversation: { id: values.conversation.id, subject: values.conversation.subject },
  };
  return Mustache.render(body, view, {}, { escape: (s: string) => s });
}

/**
 * Applies a macro to a conversation: its actions change the conversation at once (the same rules, permissions
 * and events as any change, plus a `conversation.macro_applied` event), and its text comes back rendered for
 * the composer, where the agent may still edit it before sending.
 */
export async function applyMacro(
  deps: Deps,
  p: Principal,
  id: number,
  conversationId: number,
): Promise<Result<{ text: string; conversation: Conversation }>> {
  const macro = await findVisibleMacro(deps.db, p.workspaceId, p.personId, id);
  if (!macro) return fail('MACRO_NOT_FOUND', 'Macro not found');
  const conversation = await findConversation(deps.db, p.workspaceId, conversationId);
  if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  const [customer, agent] = await Promise.all([
    findCustomer(deps.db, p.workspaceId, conversation.customerId),
    findPerson(deps.db, p.workspaceId, p.personId),
  ]);
  const a = macro.actions;
  const patch: ConversationPatch = {};
  if (a.status) patch.status = a.status;
  if (a.priority) patch.priority = a.priority;
  if (a.assigneeId !== undefined) patch.assigneeId = a.assigneeId;
  if (a.teamId !== undefined) patch.teamId = a.teamId;
  if (a.addTags?.length) patch.addTags = a.addTags;
  if (a.removeTags?.length) patch.removeTags = a.removeTags;
  let after = conversation;
  if (Object.keys(patch).length > 0) {
    const changed = await changeConversation(deps, p.workspaceId, conversationId, callerOf(p), patch);
    if (!changed.ok) return changed;
    after = changed.value;
  }
  await recordEvent(deps.db, {
    workspaceId: p.workspaceId,
    type: 'conversation.macro_applied',
    entityType: 'conversation',
    entityId: conversationId,
    actor: person(p),
    at: deps.clock.now(),
    data: { macroId: macro.id, name: macro.name, actions: a },
  });
  const text = renderMacro(macro.body, {
    customer: { name: customer?.name ?? '', company: customer?.company ?? null },
    agent: { name: agent?.name ?? '' },
    conversation: after,
  });
  return ok({ text, conversation: after });
}
