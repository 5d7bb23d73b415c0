import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  id,
  idParam,
  iso,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { conversationSchema, presentConversation } from '../conversations/index.js';
import type { Macro } from './macros.repo.js';
import { listVisibleMacros } from './macros.repo.js';
import { applyMacro, changeMacro, createMacro, macroPlaceholders, removeMacro } from './macros.service.js';

const tag = z.string().trim().toLowerCase().min(1).max(50);
const tagList = z
  .array(tag)
  .max(30)
  .transform((list) => [...new Set(list)]);
const actions = z
  .strictObject({
    status: z.enum(['open', 'pending', 'on_hold', 'solved']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    assigneeId: id.nullable().optional().describe('null unassigns'),
    teamId: id.nullable().optional().describe('null removes the team'),
    addTags: tagList.optional(),
    removeTags: tagList.optional(),
  })
  .describe('MacroActions');
/** The same shape for answers (no transforms: a response is serialized, not parsed). */
const actionsOut = z
  .object({
    status: z.enum(['open', 'pending', 'on_hold', 'solved']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    assigneeId: z.number().nullable().optional(),
    teamId: z.number().nullable().optional(),
    addTags: z.array(z.string()).optional(),
    removeTags: z.array(z.string()).optional(),
  })
  .describe('MacroActionsOut');
const fields = {
  name: z.string().trim().min(1).max(100),
  body: z
    .string()
    .max(20_000)
    .describe(`The reply text; placeholders: ${macroPlaceholders.map((p) => `{{${p}}}`).join(', ')}`),
  actions: actions.optional(),
  shared: z.boolean().optional().describe("The workspace's (leads and admins keep these), else your own"),
};

const macroSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    body: z.string(),
    actions: actionsOut,
    shared: z.boolean(),
    ownerId: z.number().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Macro');

const present = (m: Macro) => ({
  id: m.id,
  name: m.name,
  body: m.body,
  actions: m.actions,
  shared: m.ownerId === null,
  ownerId: m.ownerId,
  createdAt: iso(m.createdAt)!,
  updatedAt: iso(m.updatedAt)!,
});

const tags = ['macros'];

export function registerMacroRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/macros',
    {
      config: { action: 'macros.read' },
      schema: {
        tags,
        summary: "The macros I can use: the workspace's shared ones and my own, by name",
        response: {
          200: z.object({ items: z.array(macroSchema), placeholders: z.array(z.string()) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const rows = await listVisibleMacros(deps.db, p.workspaceId, p.personId);
      return { items: rows.map(present), placeholders: [...macroPlaceholders] };
    },
  );

  r.post(
    '/macros',
    {
      config: { action: 'macros.write' },
      schema: {
        tags,
        summary: 'Create a macro (shared ones need macros.admin)',
        body: z.strictObject(fields),
        response: { 201: macroSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const created = unwrap(await createMacro(deps, principalOf(request), request.body));
      return reply.status(201).send(present(created));
    },
  );

  r.patch(
    '/macros/:id',
    {
      config: { action: 'macros.write' },
      schema: {
        tags,
        summary: 'Change a macro: your own, or a shared one with macros.admin',
        params: idParam,
        body: z.strictObject({
          name: fields.name.optional(),
          body: fields.body.optional(),
          actions: fields.actions,
          shared: fields.shared,
        }),
        response: { 200: macroSchema, ...commonErrors },
      },
    },
    async (request) =>
      present(unwrap(await changeMacro(deps, principalOf(request), request.params.id, request.body))),
  );

  r.delete(
    '/macros/:id',
    {
      config: { action: 'macros.write' },
      schema: {
        tags,
        summary: 'Delete a macro: your own, or a shared one with macros.admin',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      unwrap(await removeMacro(deps, principalOf(request), request.params.id));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/macros/:id/apply',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary:
          'Apply a macro to a conversation: its actions change the conversation now; its text comes back for the composer',
        description:
          'The text is rendered for this conversation and is not sent: the agent edits and sends it as a reply. The actions follow the rules of PATCH /conversations/:id (assigning someone else needs conversations.reassign).',
        params: idParam,
        body: z.strictObject({ conversationId: id }),
        response: {
          200: z.object({ text: z.string(), conversation: conversationSchema }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const applied = unwrap(await applyMacro(deps, p, request.params.id, request.body.conversationId));
      return { text: applied.text, conversation: presentConversation(applied.conversation) };
    },
  );
}
