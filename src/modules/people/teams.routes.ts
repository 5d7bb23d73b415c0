import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  idParam,
  iso,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { findTeam, listTeams, type Team, teamMemberIds } from './teams.repo.js';
import { changeTeam, createTeam, removeTeam, setMembership } from './teams.service.js';

const teamSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    leadId: z.number().nullable(),
    isVendor: z.boolean(),
    memberIds: z.array(z.number()),
    createdAt: isoTime,
  })
  .describe('Team');

const present = (t: Team, memberIds: number[]) => ({
  id: t.id,
  name: t.name,
  leadId: t.leadId,
  isVendor: t.isVendor,
  memberIds,
  createdAt: iso(t.createdAt)!,
});

const teamBody = {
  name: z.string().trim().min(1).max(80),
  leadId: z.number().int().positive().nullable().optional(),
  isVendor: z.boolean().optional().describe('An outsourced vendor team'),
};
const memberParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  personId: z.coerce.number().int().positive(),
});

export function registerTeamRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  const withMembers = async (workspaceId: number, team: Team) =>
    present(team, (await teamMemberIds(deps.db, workspaceId, [team.id])).get(team.id) ?? []);

  r.get(
    '/teams',
    {
      config: { action: 'teams.read' },
      schema: {
        tags: ['teams'],
        summary: 'List teams',
        response: { 200: z.object({ items: z.array(teamSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const teams = await listTeams(deps.db, ws);
      const members = await teamMemberIds(
        deps.db,
        ws,
        teams.map((t) => t.id),
      );
      return { items: teams.map((t) => present(t, members.get(t.id) ?? [])) };
    },
  );

  r.post(
    '/teams',
    {
      config: { action: 'teams.admin' },
      schema: {
        tags: ['teams'],
        summary: 'Create a team',
        body: z.strictObject(teamBody),
        response: { 201: teamSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const team = unwrap(await createTeam(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send(await withMembers(p.workspaceId, team));
    },
  );

  r.get(
    '/teams/:id',
    {
      config: { action: 'teams.read' },
      schema: {
        tags: ['teams'],
        summary: 'One team',
        params: idParam,
        response: { 200: teamSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const team = await findTeam(deps.db, ws, request.params.id);
      if (!team) throw new HttpError('TEAM_NOT_FOUND', 'Team not found');
      return withMembers(ws, team);
    },
  );

  r.patch(
    '/teams/:id',
    {
      config: { action: 'teams.admin' },
      schema: {
        tags: ['teams'],
        summary: 'Rename a team, change its lead or vendor flag',
        params: idParam,
        body: z.strictObject({ ...teamBody, name: teamBody.name.optional() }),
        response: { 200: teamSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const team = unwrap(await changeTeam(deps, p.workspaceId, request.params.id, actor(p), request.body));
      return withMembers(p.workspaceId, team);
    },
  );

  r.delete(
    '/teams/:id',
    {
      config: { action: 'teams.admin' },
      schema: {
        tags: ['teams'],
        summary: 'Delete an empty team',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeTeam(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );

  const membership = (member: boolean) => ({
    config: { action: 'teams.admin' },
    schema: {
      tags: ['teams'],
      summary: member ? 'Add a person to a team' : 'Remove a person from a team',
      params: memberParams,
      response: { 204: z.null(), ...commonErrors },
    },
  });
  r.put('/teams/:id/members/:personId', membership(true), async (request, reply) => {
    const p = principalOf(request);
    unwrap(
      await setMembership(deps, p.workspaceId, request.params.id, request.params.personId, actor(p), true),
    );
    return reply.status(204).send(null);
  });
  r.delete('/teams/:id/members/:personId', membership(false), async (request, reply) => {
    const p = principalOf(request);
    unwrap(
      await setMembership(deps, p.workspaceId, request.params.id, request.params.personId, actor(p), false),
    );
    return reply.status(204).send(null);
  });
}
