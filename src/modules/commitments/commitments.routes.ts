import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commitmentStatuses } from '../../db/schema/commitments.js';
import {
  commonErrors,
  type Deps,
  fail,
  id,
  idParam,
  iso,
  isoDateTime,
  isoTime,
  optionalIsoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { requireConversation } from '../conversations/index.js';
import { calendarFor } from './calendar-of.js';
import { type Commitment, listCommitments } from './commitments.repo.js';
import { changeCommitment, closeCommitment, recordCommitment } from './commitments.service.js';
import { parseDuePhrase } from './due-phrase.js';

const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const pairParams = z.strictObject({ id: queryId, commitmentId: queryId });
const text = z.string().trim().min(1).max(500);
const due = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe(
    'A due time in words, read with the business calendar of the conversation\'s team: "in 5 business days", "in 3 hours", "tomorrow at 10", "by Friday", "end of day"',
  );
const dueFields = {
  dueAt: isoDateTime.optional().describe('The due time (ISO 8601 with an offset); or give `due`'),
  due: due.optional(),
};

export const commitmentSchema = z
  .object({
    id: z.number(),
    conversationId: z.number(),
    ownerId: z.number(),
    teamId: z.number().nullable(),
    text: z.string(),
    dueAt: isoTime,
    status: z
      .enum(commitmentStatuses)
      .describe('suggested: found in a reply, waiting to be confirmed or dismissed'),
    overdue: z.boolean().describe('Open and past its due time'),
    sourceMessageId: z.number().nullable(),
    note: z.string().nullable().describe('The note of a fulfilment, or the reason it was broken'),
    createdById: z.number().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    keptAt: optionalIsoTime,
    brokenAt: optionalIsoTime,
    remindedAt: optionalIsoTime,
    escalatedAt: optionalIsoTime,
  })
  .describe('Commitment');

export const presentCommitment = (c: Commitment, now: Date) => ({
  id: c.id,
  conversationId: c.conversationId,
  ownerId: c.ownerId,
  teamId: c.teamId,
  text: c.text,
  dueAt: c.dueAt.toISOString(),
  status: c.status,
  overdue: c.status === 'open' && c.dueAt.getTime() < now.getTime(),
  sourceMessageId: c.sourceMessageId,
  note: c.note,
  createdById: c.createdById,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
  keptAt: iso(c.keptAt),
  brokenAt: iso(c.brokenAt),
  remindedAt: iso(c.remindedAt),
  escalatedAt: iso(c.escalatedAt),
});

const tags = ['commitments'];

export function registerCommitmentRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who = (p: { personId: number }) => ({
    actor: { type: 'person' as const, id: p.personId },
    personId: p.personId,
  });

  r.get(
    '/conversations/:id/commitments',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          "A conversation's promises and suggested promises, soonest due first (dismissed ones left out)",
        params: idParam,
        response: { 200: z.object({ items: z.array(commitmentSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      await requireConversation(deps.db, ws, request.params.id);
      const rows = await listCommitments(
        deps.db,
        ws,
        [request.params.id],
        ['suggested', 'open', 'kept', 'broken'],
      );
      const now = deps.clock.now();
      return { items: rows.map((c) => presentCommitment(c, now)) };
    },
  );

  r.post(
    '/conversations/:id/commitments',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Record a promise to the customer: what, whose (default: the caller) and when it is due',
        params: idParam,
        body: z.strictObject({ text, ownerId: id.optional(), ...dueFields }),
        response: { 201: commitmentSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { dueAt, ...rest } = request.body;
      const row = unwrap(
        await recordCommitment(deps, p.workspaceId, who(p), request.params.id, {
          ...rest,
          dueAt: dueAt ? new Date(dueAt) : undefined,
        }),
      );
      return reply.status(201).send(presentCommitment(row, deps.clock.now()));
    },
  );

  r.patch(
    '/conversations/:id/commitments/:commitmentId',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Change an open promise (or a suggestion): text, owner, due time (moves its reminders)',
        params: pairParams,
        body: z.strictObject({ text: text.optional(), ownerId: id.optional(), ...dueFields }),
        response: { 200: commitmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { dueAt, ...rest } = request.body;
      const row = unwrap(
        await changeCommitment(deps, p.workspaceId, who(p), request.params.id, request.params.commitmentId, {
          ...rest,
          dueAt: dueAt ? new Date(dueAt) : undefined,
        }),
      );
      return presentCommitment(row, deps.clock.now());
    },
  );

  r.post(
    '/conversations/:id/commitments/:commitmentId/confirm',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Confirm a suggested promise (optionally corrected): it becomes open, with reminders',
        params: pairParams,
        body: z.strictObject({ text: text.optional(), ownerId: id.optional(), ...dueFields }).nullish(),
        response: { 200: commitmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { dueAt, ...rest } = request.body ?? {};
      const row = unwrap(
        await changeCommitment(
          deps,
          p.workspaceId,
          who(p),
          request.params.id,
          request.params.commitmentId,
          { ...rest, dueAt: dueAt ? new Date(dueAt) : undefined },
          true,
        ),
      );
      return presentCommitment(row, deps.clock.now());
    },
  );

  const close = (
    path: string,
    outcome: 'kept' | 'broken' | 'dismissed',
    summary: string,
    body: z.ZodType<{ note?: string } | undefined | null>,
  ) =>
    r.post(
      `/conversations/:id/commitments/:commitmentId/${path}`,
      {
        config: { action: 'conversations.write' },
        schema: {
          tags,
          summary,
          params: pairParams,
          body,
          response: { 200: commitmentSchema, ...commonErrors },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = unwrap(
          await closeCommitment(
            deps,
            p.workspaceId,
            who(p),
            request.params.id,
            request.params.commitmentId,
            outcome,
            (request.body as { note?: string } | null | undefined)?.note,
          ),
        );
        return presentCommitment(row, deps.clock.now());
      },
    );
  close(
    'fulfil',
    'kept',
    'Mark an open promise kept (fulfilled now), with an optional note',
    z.strictObject({ note: z.string().trim().min(1).max(2000).optional() }).nullish(),
  );
  close(
    'break',
    'broken',
    'Mark an open promise broken; the reason is required',
    z.strictObject({ note: z.string().trim().min(1).max(2000).describe('Why it was broken') }),
  );
  close('dismiss', 'dismissed', 'Dismiss a suggested promise (it was not one)', z.strictObject({}).nullish());

  r.get(
    '/conversations/:id/commitments/due-preview',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          "What a due phrase means on this conversation (its team's business calendar), without saving",
        params: idParam,
        querystring: z.strictObject({ due }),
        response: { 200: z.object({ dueAt: isoTime }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const conversation = await requireConversation(deps.db, ws, request.params.id);
      const now = deps.clock.now();
      const calendar = await calendarFor(deps.db, ws, conversation!.teamId);
      const dueAt = parseDuePhrase(request.query.due, now, calendar);
      if (!dueAt || dueAt <= now)
        unwrap(fail('INVALID_DUE', `Could not read the due time “${request.query.due}”`));
      return { dueAt: dueAt!.toISOString() };
    },
  );
}
