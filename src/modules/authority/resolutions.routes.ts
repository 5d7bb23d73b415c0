import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolutionKinds, resolutionStatuses, resolutionUnits } from '../../db/schema/authority.js';
import {
  commonErrors,
  type Deps,
  id,
  idParam,
  inTransaction,
  iso,
  isoDateTime,
  isoTime,
  optionalIsoTime,
  principalOf,
  type Result,
  reportPeriod,
  unwrap,
} from '../../platform/index.js';
import { requireConversation } from '../conversations/index.js';
import { listResolutions, type Resolution } from './authority.repo.js';
import { decideResolution, grantResolution } from './authority.service.js';
import { amountGroupings, amountsGranted, pathFigures } from './figures.repo.js';
import { fromMinor } from './limits.js';

const tags = ['authority'];
const amount = z.number().positive().max(1e9);

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

/** Grants and their approval: the ledger of a conversation and of the workspace, decisions, and figures. */
export function registerResolutionRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who = (request: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(request);
    return { actor: { type: 'person' as const, id: p.personId }, personId: p.personId };
  };

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
      await requireConversation(deps.db, ws, request.params.id);
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
      const { from, to } = reportPeriod(request.query, now);
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
