import { sql } from 'drizzle-orm';
import { bigint, foreignKey, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Channel } from './conversations.js';
import { people, teamMembers, teams } from './people.js';
import { workspaces } from './workspaces.js';

const workspaceId = () =>
  bigint('workspace_id', { mode: 'number' })
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

export const routingModes = ['manual', 'round_robin', 'least_busy'] as const;
export type RoutingMode = (typeof routingModes)[number];

/** Most open conversations per channel an agent is given by routing; a channel not named has no limit. */
export type ChannelCapacity = Partial<Record<Channel, number>>;

/**
 * How a team's new, unassigned conversations find an agent (routing module). No row: `manual`.
 * `last_person_id` is the round-robin rotation: the member who was given the last conversation.
 */
export const teamRouting = pgTable(
  'team_routing',
  {
    workspaceId: workspaceId(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    mode: text('mode', { enum: routingModes }).notNull().default('manual'),
    capacity: jsonb('capacity').$type<ChannelCapacity>().notNull().default(sql`'{}'::jsonb`),
    lastPersonId: bigint('last_person_id', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.teamId] }),
    foreignKey({
      columns: [t.workspaceId, t.teamId],
      foreignColumns: [teams.workspaceId, teams.id],
    }).onDelete('cascade'),
  ],
);

/** A member's own capacity in a team, channel by channel over the team's; gone with the membership. */
export const teamMemberCapacity = pgTable(
  'team_member_capacity',
  {
    workspaceId: workspaceId(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    capacity: jsonb('capacity').$type<ChannelCapacity>().notNull().default(sql`'{}'::jsonb`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.teamId, t.personId] }),
    foreignKey({
      name: 'team_member_capacity_member_fk',
      columns: [t.workspaceId, t.teamId, t.personId],
      foreignColumns: [teamMembers.workspaceId, teamMembers.teamId, teamMembers.personId],
    }).onDelete('cascade'),
  ],
);

/** When routing last gave each agent a conversation: least-busy breaks ties by the longest wait. */
export const routingAgents = pgTable(
  'routing_agents',
  {
    workspaceId: workspaceId(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.personId] }),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);
