import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolutionKinds, resolutionUnits } from '../../db/schema/authority.js';
import {
  commonErrors,
  type Deps,
  fail,
  id,
  idParam,
  inTransaction,
  ok,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { findPerson, roles } from '../people/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  type AuthorityLimit,
  catalogue,
  findAction,
  limitFor,
  listLimits,
  type ResolutionAction,
  readAuthoritySettings,
  replaceLimits,
  spent,
  updateAction,
  writeAuthoritySettings,
} from './authority.repo.js';
import { fromMinor, type Limit, periodStarts, toMinor } from './limits.js';

const tags = ['authority'];
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
}
