import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolutionKinds, resolutionStatuses, resolutionUnits } from '../../db/schema/authority.js';
import {
  commonErrors,
  type Deps,
  fail,
  id,
  idParam,
  inTransaction,
  iso,
  isoDateTime,
  isoTime,
  ok,
  optionalIsoTime,
  principalOf,
  type Result,
  unwrap,
} from '../../platform/index.js';
import { findConversation } from '../conversations/index.js';
import { findPerson, roles } from '../people/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  type AuthorityLimit,
  catalogue,
  findAction,
  limitFor,
  listLimits,
  listResolutions,
  type Resolution,
  type ResolutionAction,
  readAuthoritySettings,
  replaceLimits,
  spent,
  updateAction,
  writeAuthoritySettings,
} from './authority.repo.js';
import { decideResolution, grantResolution } from './authority.service.js';
import { amountGroupings, amountsGranted, pathFigures } from './figures.repo.js';
import { fromMinor, type Limit, periodStarts, toMinor } from './limits.js';

const tags = ['authority'];
const DAY = 86_400_000;
const amount = z.number().positive().max(1e9);
const optionalAmount = amount.nullable();

const actionSchema = z.object({
  id,
  kind: z.enum(resolutionKinds),
  name: z.string(),
  unit: z.enum(resolutionUnits).describe('currency: in the workspace currency; count: whole items'),
  enabled: z.boolean(),
  workspacePerDay: z
    .number()
    .nullable()
    .describe('What the whole workspace may grant of it in a day (null: no cap)'),
});
const presentAction = (a: ResolutionAction) => ({
  id: a.id,
  kind: a.kind,
  name: a.name,
  unit: a.unit,
  enabled: a.enabled,
  workspacePerDay: a.workspacePerDay === null ? null : fromMinor(a.workspacePerDay, a.unit),
});

export const resolutionSchema = z.object({
  id,
  conversationId: id,
  customerId: id,
  matterId: id.nullable(),
  actionId: id,
  kind: z.enum(resolutionKinds),
  unit: z.enum(resolutionUnits),
  amount: z.number().describe('In the unit: money in major units (12.50), or a count'),
  currency: z.string().nullable(),
  note: z.string().nullable(),
  source: z.enum(['agent', 'customer_proposal']),
  proposalId: id.nullable(),
  status: z
    .enum(resolutionStatuses)
    .describe('applied (on the spot, or approved), pending (waiting for approval), rejected'),
  exceeded: z.array(z.string()).describe("The agent's limits the grant went past (empty: within authority)"),
  requestedById: id,
  teamId: id.nullable(),
  contactReasonId: id.nullable(),
  approvalDueAt: optionalIsoTime,
  decidedById: id.nullable().describe('The lead who approved or rejected it (null: applied on the spot)'),
  decisionNote: z.string().nullable(),
  decidedAt: optionalIsoTime,
  appliedAt: optionalIsoTime,
  createdAt: isoTime,
});
export const presentResolution = (r: Resolution) => ({
  id: r.id,
  conversationId: r.conversationId,
  customerId: r.customerId,
  matterId: r.matterId,
  actionId: r.actionId,
  kind: r.kind,
  unit: r.unit,
  amount: fromMinor(r.amount, r.unit),
  currency: r.currency,
  note: r.note,
  source: r.source,
  proposalId: r.proposalId,
  status: r.status,
  exceeded: r.exceeded,
  requestedById: r.requestedById,
  teamId: r.teamId,
  contactReasonId: r.contactReasonId,
  approvalDueAt: iso(r.approvalDueAt),
  decidedById: r.decidedById,
  decisionNote: r.decisionNote,
  decidedAt: iso(r.decidedAt),
  appliedAt: iso(r.appliedAt),
  createdAt: r.createdAt.toISOString(),
});

const limitFields = {
  perAction: optionalAmount.describe('Most per grant'),
  perConversation: optionalAmount.describe('Most on one conversation'),
  perDay: optionalAmount.describe('Most per agent per day (the workspace time zone)'),
  perMonth: optionalAmount.describe('Most per agent per calendar month'),
};
const limitSchema = z.object({
  actionId: id,
  role: z.enum(roles).nullable(),
  personId: id.nullable(),
  ...limitFields,
});
const presentLimit = (x: AuthorityLimit, unit: 'currency' | 'count') => ({
  actionId: x.actionId,
  role: x.role as (typeof roles)[number] | null,
  personId: x.personId,
  perAction: x.perAction === null ? null : fromMinor(x.perAction, unit),
  perConversation: x.perConversation === null ? null : fromMinor(x.perConversation, unit),
  perDay: x.perDay === null ? null : fromMinor(x.perDay, unit),
  perMonth: x.perMonth === null ? null : fromMinor(x.perMonth, unit),
});

const settingsSchema = z.object({
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .describe('ISO 4217, e.g. EUR'),
  approvalBusinessHours: z.number().int().min(1).max(80).describe('The approval SLA, in business hours'),
});

export function registerAuthorityRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who = (request: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(request);
    return { actor: { type: 'person' as const, id: p.personId }, personId: p.personId };
  };

  r.get(
    '/resolution-actions',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "The workspace's catalogue of resolution actions (the seven usual ones the first time)",
        response: { 200: z.object({ items: z.array(actionSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const rows = unwrap(
        await inTransaction(deps.db, async (tx) => ok(await catalogue(tx, ws, deps.clock.now()))),
      );
      return { items: rows.map(presentAction) };
    },
  );

  r.patch(
    '/resolution-actions/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Rename an action, switch it on or off, or cap what the workspace grants of it per day',
        params: idParam,
        body: z.strictObject({
          name: z.string().trim().min(1).max(80).optional(),
          enabled: z.boolean().optional(),
          workspacePerDay: optionalAmount.optional(),
        }),
        response: { 200: actionSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const action = await findAction(deps.db, ws, request.params.id);
      if (!action) unwrap(fail('RESOLUTION_ACTION_NOT_FOUND', 'Resolution action not found'));
      const { workspacePerDay, ...rest } = request.body;
      const cap = workspacePerDay == null ? workspacePerDay : toMinor(workspacePerDay, action!.unit);
      if (cap === null && workspacePerDay != null)
        unwrap(fail('VALIDATION_FAILED', 'workspacePerDay is not a valid amount for this unit'));
      const row = await updateAction(deps.db, ws, request.params.id, {
        ...rest,
        ...(workspacePerDay !== undefined ? { workspacePerDay: cap } : {}),
        updatedAt: deps.clock.now(),
      });
      return presentAction(row!);
    },
  );

  r.get(
    '/authority/limits',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: 'Authority limits per role and per person (a person’s own limit overrides their role’s)',
        response: { 200: z.object({ items: z.array(limitSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const actions = new Map((await catalogue(deps.db, ws, deps.clock.now())).map((a) => [a.id, a]));
      const rows = await listLimits(deps.db, ws);
      return { items: rows.map((x) => presentLimit(x, actions.get(x.actionId)?.unit ?? 'currency')) };
    },
  );

  r.put(
    '/authority/limits',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Replace the authority limits: each for one action and either a role or a person',
        body: z.strictObject({ items: z.array(limitSchema.strict()).max(500) }),
        response: { 200: z.object({ items: z.array(limitSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const now = deps.clock.now();
      unwrap(
        await inTransaction(deps.db, async (tx) => {
          const seen = new Set<string>();
          const out: Array<Limit & { actionId: number; role: string | null; personId: number | null }> = [];
          for (const item of request.body.items) {
            if ((item.role === null) === (item.personId === null))
              return fail('VALIDATION_FAILED', 'Each limit is for a role or for a person (one of the two)');
            const key = `${item.actionId}:${item.role ?? ''}:${item.personId ?? ''}`;
            if (seen.has(key))
              return fail('VALIDATION_FAILED', 'Two limits for the same action and role or person');
            seen.add(key);
            const action = await findAction(tx, ws, item.actionId);
            if (!action) return fail('RESOLUTION_ACTION_NOT_FOUND', 'Resolution action not found');
            if (item.personId !== null && !(await findPerson(tx, ws, item.personId)))
              return fail('PERSON_NOT_FOUND', 'Person not found');
            const minor = (v: number | null) => (v === null ? null : toMinor(v, action.unit));
            const values = {
              perAction: minor(item.perAction),
              perConversation: minor(item.perConversation),
              perDay: minor(item.perDay),
              perMonth: minor(item.perMonth),
            };
            for (const [k, v] of Object.entries(values))
              if (v === null && item[k as keyof Limit] !== null)
                return fail('VALIDATION_FAILED', `${k} is not a valid amount for “${action.name}”`);
            out.push({ actionId: item.actionId, role: item.role, personId: item.personId, ...values });
          }
          await replaceLimits(tx, ws, out, now);
          return ok(null);
        }),
      );
      return { items: request.body.items };
    },
  );

  r.get(
    '/authority/mine',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: 'What I may grant on my own, per action, and what I granted on my own today and this month',
        querystring: z.strictObject({ conversationId: z.coerce.number().int().positive().optional() }),
        response: {
          200: z.object({
            items: z.array(
              actionSchema.extend({
                limit: z.object(limitFields).nullable().describe('null: every grant asks for approval'),
                spentToday: z.number(),
                spentThisMonth: z.number(),
                spentOnConversation: z.number(),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const ws = p.workspaceId;
      const now = deps.clock.now();
      const me = await findPerson(deps.db, ws, p.personId);
      if (!me) unwrap(fail('PERSON_NOT_FOUND', 'Person not found'));
      const zone = (await findWorkspaceById(deps.db, ws))?.settings.timeZone;
      const starts = periodStarts(now, zone ?? 'UTC');
      const items = [];
      for (const a of await catalogue(deps.db, ws, now)) {
        const limit = await limitFor(deps.db, ws, a.id, { id: me!.id, role: me!.role });
        const used = await spent(deps.db, ws, a.id, me!.id, request.query.conversationId ?? 0, starts);
        const major = (v: number | null) => (v === null ? null : fromMinor(v, a.unit));
        items.push({
          ...presentAction(a),
          limit: limit && {
            perAction: major(limit.perAction),
            perConversation: major(limit.perConversation),
            perDay: major(limit.perDay),
            perMonth: major(limit.perMonth),
          },
          spentToday: fromMinor(used.day, a.unit),
          spentThisMonth: fromMinor(used.month, a.unit),
          spentOnConversation: fromMinor(used.conversation, a.unit),
        });
      }
      return { items };
    },
  );

  r.get(
    '/authority/settings',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: 'The currency and the approval SLA',
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => readAuthoritySettings(deps.db, principalOf(request).workspaceId),
  );

  r.put(
    '/authority/settings',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change the currency (for new grants) and the approval SLA',
        body: settingsSchema.strict(),
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => {
      await writeAuthoritySettings(deps.db, principalOf(request).workspaceId, request.body, deps.clock.now());
      return request.body;
    },
  );

  r.post(
    '/conversations/:id/resolutions',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary:
          'Grant a resolution action: applied at once within your authority, else a request for approval',
        description:
          "`status: applied` when within all of the caller's limits (per grant, per conversation, per day, per month, and the workspace's cap per day); else `pending`, with `exceeded` naming the limits, an approval due in the workspace's approval SLA, and the team lead notified. `proposalId`: accepting the customer's own proposal (portal). Every applied grant is a `resolution.applied` event, delivered to webhooks.",
        params: idParam,
        body: z.strictObject({
          actionId: id,
          amount,
          note: z.string().trim().max(2000).optional(),
          proposalId: id.optional(),
        }),
        response: { 201: resolutionSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = unwrap(
        await inTransaction(deps.db, (tx) =>
          grantResolution(tx, p.workspaceId, request.params.id, who(request), request.body, deps.clock.now()),
        ),
      );
      return reply.status(201).send(presentResolution(row));
    },
  );

  r.get(
    '/conversations/:id/resolutions',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "The conversation's resolution actions: granted, pending and rejected, newest first",
        params: idParam,
        response: { 200: z.object({ items: z.array(resolutionSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      if (!(await findConversation(deps.db, ws, request.params.id)))
        unwrap(fail('CONVERSATION_NOT_FOUND', 'Conversation not found'));
      const rows = await listResolutions(deps.db, ws, { conversationId: request.params.id }, 200);
      return { items: rows.map(presentResolution) };
    },
  );

  r.get(
    '/resolutions',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: 'The ledger: resolution actions, newest first (pending: the approvals waiting)',
        querystring: z.strictObject({
          status: z.enum(resolutionStatuses).optional(),
          requestedById: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({ items: z.array(resolutionSchema.extend({ conversationSubject: z.string() })) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      const rows = await listResolutions(deps.db, principalOf(request).workspaceId, filter, limit);
      return {
        items: rows.map((x) => ({ ...presentResolution(x), conversationSubject: x.conversationSubject })),
      };
    },
  );

  for (const decision of ['approve', 'reject'] as const)
    r.post(
      `/resolutions/:id/${decision}`,
      {
        config: { action: 'approvals.approve' },
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve a pending request: the action applies now'
              : 'Reject a pending request (a reason is required): nothing is granted',
          description:
            'Nobody decides their own request (403). A request already decided: 422 RESOLUTION_DECIDED.',
          params: idParam,
          body: z.strictObject({
            note:
              decision === 'reject'
                ? z.string().trim().min(1).max(2000)
                : z.string().trim().max(2000).optional(),
          }),
          response: { 200: resolutionSchema, ...commonErrors },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = unwrap(
          await inTransaction(
            deps.db,
            (tx): Promise<Result<Resolution>> =>
              decideResolution(
                tx,
                p.workspaceId,
                request.params.id,
                who(request),
                { approve: decision === 'approve', note: request.body.note },
                deps.clock.now(),
              ),
          ),
        );
        return presentResolution(row);
      },
    );

  const share = (n: number, d: number) => (d > 0 ? n / d : null);
  const path = z.object({
    matters: z.number().int(),
    share: z.number().nullable().describe('Of all matters with a grant in the period'),
    csat: z.number().nullable().describe('Later survey answers with CSAT 4-5 / all later CSAT answers'),
    csatAnswers: z.number().int(),
    repeatContactRate: z
      .number()
      .nullable()
      .describe('Matters the customer contacted again after the first grant'),
  });

  r.get(
    '/resolutions/figures',
    {
      config: { action: 'analytics.read' },
      schema: {
        tags,
        summary:
          'Resolved on the spot vs escalated for approval (with the later CSAT and repeat contacts of each), and the amounts granted by agent, team or reason',
        querystring: z.strictObject({
          from: isoDateTime.optional(),
          to: isoDateTime.optional(),
          by: z.enum(amountGroupings).default('agent'),
        }),
        response: {
          200: z.object({
            from: isoTime,
            to: isoTime,
            onTheSpot: path,
            approval: path,
            amounts: z.array(
              z.object({
                key: z.string().nullable(),
                kind: z.enum(resolutionKinds),
                unit: z.enum(resolutionUnits),
                currency: z.string().nullable(),
                grants: z.number().int(),
                onTheSpot: z.number().int(),
                amount: z.number(),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const now = deps.clock.now();
      const to = request.query.to ? new Date(request.query.to) : now;
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 30 * DAY);
      if (from.getTime() >= to.getTime()) unwrap(fail('VALIDATION_FAILED', '`from` must be before `to`'));
      const paths = await pathFigures(deps.db, ws, { from, to });
      const all = paths.onTheSpot.matters + paths.approval.matters;
      const present = (x: typeof paths.onTheSpot) => ({
        matters: x.matters,
        share: share(x.matters, all),
        csat: share(x.csatSatisfied, x.csatAnswers),
        csatAnswers: x.csatAnswers,
        repeatContactRate: share(x.contactedAgain, x.matters),
      });
      const amounts = await amountsGranted(deps.db, ws, { from, to }, request.query.by);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        onTheSpot: present(paths.onTheSpot),
        approval: present(paths.approval),
        amounts: amounts.map((a) => ({
          ...a,
          kind: a.kind as (typeof resolutionKinds)[number],
          amount: fromMinor(a.amount, a.unit),
        })),
      };
    },
  );
}
