import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channels, priorities } from '../../db/schema/conversations.js';
import { slaTargets } from '../../db/schema/sla.js';
import {
  commonErrors,
  type Deps,
  fail,
  id,
  idParam,
  iso,
  isoTime,
  optionalIsoTime,
  principalOf,
  reportPeriod,
  unwrap,
} from '../../platform/index.js';
import { requireConversation } from '../conversations/index.js';
import { changePolicy, createPolicy, removePolicy, reorderPolicies } from './policies.service.js';
import {
  attainmentRows,
  findPolicy,
  listClocks,
  listPolicies,
  type SlaClock,
  type SlaPolicy,
} from './sla.repo.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).max(50).optional();
const conditions = z
  .strictObject({
    priorities: list(z.enum(priorities)),
    tiers: list(z.string().trim().min(1).max(50)),
    channels: list(z.enum(channels)),
    teamIds: list(id),
    tags: list(z.string().trim().toLowerCase().min(1).max(50)),
  })
  .describe('Every condition given must hold; an empty or absent one is "any"');
const minutes = z
  .number()
  .int()
  .positive()
  .max(525_600)
  .nullable()
  .optional()
  .describe('Minutes (business or calendar); null: not measured');
const breachActions = z.strictObject({
  raisePriority: z
    .enum(['high', 'urgent'])
    .optional()
    .describe('Raise the priority to this (never lowers it)'),
  reassignToTeam: z.boolean().optional().describe("Unassign it, back to its team's queue"),
});
const fields = {
  name: z.string().trim().min(1).max(100),
  conditions: conditions.optional(),
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
  businessHours: z
    .boolean()
    .optional()
    .describe("Business time of the conversation's team calendar (else the default); false: calendar time"),
  pauseOnHold: z.boolean().optional().describe('on_hold pauses the clock (pending always does)'),
  warnPercent: z.number().int().min(1).max(99).optional().describe('Warn at this share of a target'),
  breachActions: breachActions.optional(),
};

const policySchema = z
  .object({
    id: z.number(),
    name: z.string(),
    position: z.number(),
    conditions: z.object({
      priorities: z.array(z.enum(priorities)).optional(),
      tiers: z.array(z.string()).optional(),
      channels: z.array(z.enum(channels)).optional(),
      teamIds: z.array(z.number()).optional(),
      tags: z.array(z.string()).optional(),
    }),
    firstResponseMinutes: z.number().nullable(),
    nextResponseMinutes: z.number().nullable(),
    resolutionMinutes: z.number().nullable(),
    businessHours: z.boolean(),
    pauseOnHold: z.boolean(),
    warnPercent: z.number(),
    breachActions: z.object({
      raisePriority: z.enum(['high', 'urgent']).optional(),
      reassignToTeam: z.boolean().optional(),
    }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('SlaPolicy');

const present = (p: SlaPolicy) => ({
  id: p.id,
  name: p.name,
  position: p.position,
  conditions: p.conditions,
  firstResponseMinutes: p.firstResponseMinutes,
  nextResponseMinutes: p.nextResponseMinutes,
  resolutionMinutes: p.resolutionMinutes,
  businessHours: p.businessHours,
  pauseOnHold: p.pauseOnHold,
  warnPercent: p.warnPercent,
  breachActions: p.breachActions,
  createdAt: iso(p.createdAt)!,
  updatedAt: iso(p.updatedAt)!,
});

const clockStates = ['running', 'at_risk', 'paused', 'stopped', 'met', 'breached'] as const;
const clockSchema = z
  .object({
    target: z.enum(slaTargets),
    policyId: z.number(),
    targetMinutes: z.number(),
    state: z
      .enum(clockStates)
      .describe('breached: met late, or overdue; stopped: solved or closed before it was met'),
    startedAt: isoTime,
    dueAt: optionalIsoTime.describe('Null while paused or stopped'),
    warnAt: optionalIsoTime,
    metAt: optionalIsoTime,
    pausedAt: optionalIsoTime,
    remainingMinutes: z.number().describe('Target minutes left (what a paused clock resumes with)'),
    pausedMinutes: z.number(),
    breachedAt: optionalIsoTime,
  })
  .describe('SlaClock');

function stateOf(c: SlaClock, status: string, now: Date): (typeof clockStates)[number] {
  const late = c.breachedAt !== null || (c.metAt && c.dueAt && c.metAt > c.dueAt);
  if (c.metAt) return late ? 'breached' : 'met';
  if (late || (c.dueAt && c.dueAt <= now)) return 'breached';
  if (!c.dueAt) return status === 'solved' || status === 'closed' ? 'stopped' : 'paused';
  return c.warnAt && c.warnAt <= now ? 'at_risk' : 'running';
}

const presentClock = (c: SlaClock, status: string, now: Date) => ({
  target: c.target,
  policyId: c.policyId,
  targetMinutes: c.targetMinutes,
  state: stateOf(c, status, now),
  startedAt: iso(c.startedAt)!,
  dueAt: iso(c.dueAt),
  warnAt: iso(c.warnAt),
  metAt: iso(c.metAt),
  pausedAt: iso(c.pausedAt),
  remainingMinutes: c.remainingMinutes,
  pausedMinutes: c.pausedMinutes,
  breachedAt: iso(c.breachedAt),
});

const tags = ['sla'];

const DAY = 86_400_000;
const attainmentGroups = ['workspace', 'team', 'agent', 'channel'] as const;
const share = z.object({
  met: z.number().describe('Cycles met by their deadline'),
  decided: z.number().describe('Cycles met or past their deadline in the period'),
  rate: z.number().nullable().describe('met / decided (0-1); null when nothing was decided'),
});
const attainmentSchema = z
  .object({
    from: isoTime,
    to: isoTime,
    by: z.enum(attainmentGroups),
    rows: z.array(
      z.object({
        key: z
          .union([z.number(), z.string()])
          .nullable()
          .describe('Team or person id, or channel; null: no team / unassigned (or the workspace row)'),
        overall: share,
        targets: z.object({ first_response: share, next_response: share, resolution: share }),
      }),
    ),
  })
  .describe('SlaAttainment');

type Share = z.infer<typeof share>;
const shareOf = (met: number, decided: number): Share => ({
  met,
  decided,
  rate: decided === 0 ? null : met / decided,
});

export function registerSlaRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

  r.get(
    '/sla-policies',
    {
      config: { action: 'sla.read' },
      schema: {
        tags,
        summary: 'List SLA policies in the order they are tried (first match wins)',
        response: { 200: z.object({ items: z.array(policySchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listPolicies(deps.db, principalOf(request).workspaceId)).map(present),
    }),
  );

  r.post(
    '/sla-policies',
    {
      config: { action: 'sla.admin' },
      schema: {
        tags,
        summary: 'Create an SLA policy (tried after the existing ones)',
        body: z.strictObject(fields),
        response: { 201: policySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = unwrap(await createPolicy(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send(present(created));
    },
  );

  r.put(
    '/sla-policies/order',
    {
      config: { action: 'sla.admin' },
      schema: {
        tags,
        summary:
          'Set the order policies are tried in: these first, in this order; the others after them, as they were',
        body: z.strictObject({ ids: z.array(id).min(1).max(500) }),
        response: { 200: z.object({ items: z.array(policySchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const items = unwrap(await reorderPolicies(deps, p.workspaceId, actor(p), request.body.ids));
      return { items: items.map(present) };
    },
  );

  r.get(
    '/sla-policies/:id',
    {
      config: { action: 'sla.read' },
      schema: {
        tags,
        summary: 'One SLA policy',
        params: idParam,
        response: { 200: policySchema, ...commonErrors },
      },
    },
    async (request) => {
      const policy = await findPolicy(deps.db, principalOf(request).workspaceId, request.params.id);
      return present(
        unwrap(policy ? { ok: true, value: policy } : fail('SLA_POLICY_NOT_FOUND', 'SLA policy not found')),
      );
    },
  );

  r.patch(
    '/sla-policies/:id',
    {
      config: { action: 'sla.admin' },
      schema: {
        tags,
        summary: 'Change an SLA policy (conversations in progress are recomputed in the background)',
        params: idParam,
        body: z.strictObject({ ...fields, name: fields.name.optional() }),
        response: { 200: policySchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return present(
        unwrap(await changePolicy(deps, p.workspaceId, actor(p), request.params.id, request.body)),
      );
    },
  );

  r.delete(
    '/sla-policies/:id',
    {
      config: { action: 'sla.admin' },
      schema: {
        tags,
        summary: 'Delete an SLA policy',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removePolicy(deps, p.workspaceId, actor(p), request.params.id));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/sla/attainment',
    {
      config: { action: 'analytics.read' },
      schema: {
        tags,
        summary:
          'SLA attainment for a period: cycles met by their deadline / cycles decided (met, or past the deadline) in it, per target',
        description:
          'A cycle counts in the period of its decision: the time it was met, or its deadline when it was missed. ' +
          'Every customer message that waits for an answer starts a next-response cycle of its own. Default period: the last 30 days.',
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          by: z.enum(attainmentGroups).default('workspace'),
        }),
        response: { 200: attainmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const { from, to } = reportPeriod(request.query, deps.clock.now());
      if (to.getTime() - from.getTime() > 3_700 * DAY)
        unwrap(fail('VALIDATION_FAILED', 'At most ten years at once'));
      const by = request.query.by;
      const found = await attainmentRows(deps.db, ws, { from, to }, by);
      const keys = by === 'workspace' ? [null] : [...new Set(found.map((x) => x.key))];
      const rows = keys.map((key) => {
        const mine = found.filter((x) => x.key === key);
        const of = (t: (typeof slaTargets)[number]) => {
          const hit = mine.find((x) => x.target === t);
          return shareOf(hit?.met ?? 0, hit?.decided ?? 0);
        };
        const sum = (f: 'met' | 'decided') => mine.reduce((n, x) => n + x[f], 0);
        return {
          key,
          overall: shareOf(sum('met'), sum('decided')),
          targets: {
            first_response: of('first_response'),
            next_response: of('next_response'),
            resolution: of('resolution'),
          },
        };
      });
      return { from: from.toISOString(), to: to.toISOString(), by, rows };
    },
  );

  r.get(
    '/conversations/:id/sla',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "A conversation's SLA clocks: first response, next response, resolution",
        params: idParam,
        response: {
          200: z.object({ policyId: z.number().nullable(), now: isoTime, clocks: z.array(clockSchema) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const conversation = await requireConversation(deps.db, ws, request.params.id);
      const clocks = await listClocks(deps.db, ws, request.params.id);
      const now = deps.clock.now();
      return {
        policyId: clocks[0]?.policyId ?? null,
        now: now.toISOString(),
        clocks: clocks.map((c) => presentClock(c, conversation!.status, now)),
      };
    },
  );
}
