import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../../db/index.js';
import { priorities } from '../../db/schema/conversations.js';
import { escalationLevels, escalationStatuses, escalationTargets } from '../../db/schema/matters.js';
import {
  commonErrors,
  type Deps,
  fail,
  id,
  idParam,
  inTransaction,
  iso,
  isoTime,
  ok,
  optionalIsoTime,
  principalOf,
  type Result,
  recordEvent,
  unwrap,
} from '../../platform/index.js';
import { findConversation, requireConversation } from '../conversations/index.js';
import { findPerson, findTeam } from '../people/index.js';
import {
  conversationEscalations,
  type Escalation,
  type EscalationSettings,
  findEscalation,
  type ListedEscalation,
  listEscalations,
  readEscalationSettings,
  updateEscalation,
  writeEscalationSettings,
} from './escalations.repo.js';
import { escalate, escalationTarget } from './escalations.service.js';
import { matterOfConversation } from './matters.repo.js';

const tags = ['escalations'];

export const escalationSchema = z.object({
  id,
  conversationId: id,
  matterId: id.nullable(),
  kind: z.enum(['automatic', 'manual']).describe('automatic: the matter reached the contact threshold'),
  level: z.enum(escalationLevels),
  reason: z.string(),
  ownerId: id.nullable().describe('The senior person who owns it and calls the customer back'),
  teamId: id.nullable(),
  status: z.enum(escalationStatuses),
  callbackDueAt: optionalIsoTime.describe('When the call-back is due (business time); null: no call-back'),
  callbackDoneAt: optionalIsoTime,
  callbackNote: z.string().nullable(),
  callbackOverdue: z.boolean(),
  customerToldAt: optionalIsoTime.describe('When the customer was told who will call and when'),
  createdById: id.nullable().describe('null: Steward'),
  createdAt: isoTime,
  resolvedAt: optionalIsoTime,
  resolvedById: id.nullable(),
});

export const presentEscalation = (e: Escalation, now: Date) => ({
  id: e.id,
  conversationId: e.conversationId,
  matterId: e.matterId,
  kind: e.kind,
  level: e.level,
  reason: e.reason,
  ownerId: e.ownerId,
  teamId: e.teamId,
  status: e.status,
  callbackDueAt: iso(e.callbackDueAt),
  callbackDoneAt: iso(e.callbackDoneAt),
  callbackNote: e.callbackNote,
  callbackOverdue:
    e.status === 'open' && !e.callbackDoneAt && e.callbackDueAt !== null && e.callbackDueAt <= now,
  customerToldAt: iso(e.customerToldAt),
  createdById: e.createdById,
  createdAt: e.createdAt.toISOString(),
  resolvedAt: iso(e.resolvedAt),
  resolvedById: e.resolvedById,
});

const settingsSchema = z.object({
  enabled: z.boolean().describe('Escalate automatically when a matter reaches the threshold'),
  contactThreshold: z.number().int().min(2).max(20).describe('The contact of a matter that escalates it'),
  target: z
    .enum(escalationTargets)
    .describe("team_lead: the lead of the conversation's team; person: personId; team: teamId and its lead"),
  personId: id.nullable(),
  teamId: id.nullable(),
  executiveTeamId: id.nullable().describe('The executive-escalation queue of manual escalations'),
  callbackBusinessHours: z
    .number()
    .int()
    .min(1)
    .max(80)
    .describe('The call-back is due this many business hours later'),
  raisePriority: z.enum(priorities),
  tellCustomer: z.boolean().describe('Tell the customer who will call back and by when'),
});

const note = z.string().trim().max(2000);

export function registerEscalationRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function checkPeople(
    tx: Tx,
    ws: number,
    refs: { personId?: number | null; teamIds: (number | null | undefined)[] },
  ): Promise<Result<null>> {
    if (refs.personId != null) {
      const person = await findPerson(tx, ws, refs.personId);
      if (person?.status !== 'active') return fail('PERSON_NOT_FOUND', 'Person not found');
    }
    for (const teamId of refs.teamIds)
      if (teamId != null && !(await findTeam(tx, ws, teamId)))
        return fail('TEAM_NOT_FOUND', 'Team not found');
    return ok(null);
  }

  r.get(
    '/escalations/settings',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: "The workspace's automatic escalation",
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => readEscalationSettings(deps.db, principalOf(request).workspaceId),
  );

  r.put(
    '/escalations/settings',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary:
          'Change the automatic escalation: threshold, target, call-back time, priority, telling the customer',
        body: settingsSchema.strict(),
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const body: EscalationSettings = request.body;
      if (body.target === 'person' && body.personId === null)
        unwrap(fail('VALIDATION_FAILED', 'target "person" needs a personId'));
      if (body.target === 'team' && body.teamId === null)
        unwrap(fail('VALIDATION_FAILED', 'target "team" needs a teamId'));
      unwrap(
        await inTransaction(deps.db, async (tx) => {
          const checked = await checkPeople(tx, ws, {
            personId: body.personId,
            teamIds: [body.teamId, body.executiveTeamId],
          });
          if (!checked.ok) return checked;
          await writeEscalationSettings(tx, ws, body, deps.clock.now());
          return ok(null);
        }),
      );
      return body;
    },
  );

  r.post(
    '/conversations/:id/escalate',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary:
          'Escalate the conversation by hand: to a lead, a manager or the executive-escalation queue, with a reason',
        description:
          "The owner: `personId` when given; else for `lead` the lead of the conversation's team (else of the assignee's or your team), for `executive` the lead of the executive-escalation queue (settings) or of `teamId`. `manager` needs a `personId`. 422 NO_ESCALATION_TARGET when there is nobody to escalate to. `callbackHours` (business hours) adds a call-back task and, with `tellCustomer`, tells the customer who will call and when.",
        params: idParam,
        body: z.strictObject({
          level: z.enum(escalationLevels),
          reason: z.string().trim().min(1).max(2000),
          personId: id.optional(),
          teamId: id.optional(),
          callbackHours: z.number().int().min(1).max(80).optional(),
          tellCustomer: z.boolean().default(false),
        }),
        response: { 201: escalationSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const ws = p.workspaceId;
      const body = request.body;
      const now = deps.clock.now();
      const row = unwrap(
        await inTransaction(deps.db, async (tx): Promise<Result<Escalation>> => {
          const conversation = await findConversation(tx, ws, request.params.id);
          if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
          if (conversation.status === 'closed')
            return fail('CONVERSATION_CLOSED', 'The conversation is closed and can no longer change');
          const checked = await checkPeople(tx, ws, { personId: body.personId, teamIds: [body.teamId] });
          if (!checked.ok) return checked;
          if (body.level === 'manager' && body.personId === undefined)
            return fail('VALIDATION_FAILED', 'An escalation to a manager names the manager (personId)');
          const settings = await readEscalationSettings(tx, ws);
          const target = await escalationTarget(tx, settings, conversation, {
            level: body.level,
            personId: body.personId,
            teamId: body.teamId,
            askedBy: p.personId,
          });
          if (target.ownerId === null && target.teamId === null)
            return fail(
              'NO_ESCALATION_TARGET',
              body.level === 'executive'
                ? 'No executive-escalation queue is set (Admin → Escalation) and no person or team was named'
                : 'Nobody to escalate to: the team has no lead; name a person',
            );
          const matter = await matterOfConversation(tx, ws, conversation.id);
          const created = await escalate(tx, {
            conversation,
            matterId: matter?.matterId ?? null,
            kind: 'manual',
            level: body.level,
            reason: body.reason,
            target,
            callbackHours: body.callbackHours ?? null,
            raisePriority: 'high',
            tellCustomer: body.tellCustomer,
            createdById: p.personId,
            actor: { type: 'person', id: p.personId },
            now,
          });
          if (!created) throw new Error('a manual escalation was not inserted');
          return ok(created);
        }),
      );
      return reply.status(201).send(presentEscalation(row, now));
    },
  );

  r.get(
    '/conversations/:id/escalations',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "The conversation's escalations, oldest first",
        params: idParam,
        response: { 200: z.object({ items: z.array(escalationSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      await requireConversation(deps.db, ws, request.params.id);
      const now = deps.clock.now();
      const rows = await conversationEscalations(deps.db, ws, request.params.id);
      return { items: rows.map((e) => presentEscalation(e, now)) };
    },
  );

  r.get(
    '/escalations',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          'Escalations: open ones with the soonest call-back first (overdue flagged), or resolved ones',
        querystring: z.strictObject({
          status: z.enum(escalationStatuses).default('open'),
          ownerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: {
          200: z.object({
            items: z.array(
              escalationSchema.extend({
                conversationSubject: z.string(),
                customerId: id,
                customerName: z.string().nullable(),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      const now = deps.clock.now();
      const rows = await listEscalations(deps.db, principalOf(request).workspaceId, filter, limit);
      return {
        items: rows.map((e: ListedEscalation) => ({
          ...presentEscalation(e, now),
          conversationSubject: e.conversationSubject,
          customerId: e.customerId,
          customerName: e.customerName,
        })),
      };
    },
  );

  for (const action of ['callback', 'resolve'] as const)
    r.post(
      `/escalations/:id/${action}`,
      {
        config: { action: 'conversations.write' },
        schema: {
          tags,
          summary:
            action === 'callback'
              ? 'The call-back is done (with a note of what was agreed)'
              : 'The escalation is resolved (with an optional note); its call-back, if any, no longer counts as due',
          params: idParam,
          body: z.strictObject({ note: action === 'callback' ? note.min(1) : note.optional() }),
          response: { 200: escalationSchema, ...commonErrors },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const ws = p.workspaceId;
        const now = deps.clock.now();
        const row = unwrap(
          await inTransaction(deps.db, async (tx): Promise<Result<Escalation>> => {
            const e = await findEscalation(tx, ws, request.params.id, true);
            if (!e) return fail('ESCALATION_NOT_FOUND', 'Escalation not found');
            if (e.status !== 'open') return fail('ESCALATION_RESOLVED', 'The escalation is already resolved');
            if (action === 'callback' && e.callbackDoneAt)
              return fail('ESCALATION_RESOLVED', 'The call-back is already done');
            const changes =
              action === 'callback'
                ? { callbackDoneAt: now, callbackNote: request.body.note ?? null, updatedAt: now }
                : { status: 'resolved' as const, resolvedAt: now, resolvedById: p.personId, updatedAt: now };
            const updated = await updateEscalation(tx, ws, e.id, changes);
            await recordEvent(tx, {
              workspaceId: ws,
              type: action === 'callback' ? 'escalation.called_back' : 'escalation.resolved',
              entityType: 'conversation',
              entityId: e.conversationId,
              actor: { type: 'person', id: p.personId },
              data: { escalationId: e.id, note: request.body.note ?? null },
              at: now,
            });
            return ok(updated);
          }),
        );
        return presentEscalation(row, now);
      },
    );
}
