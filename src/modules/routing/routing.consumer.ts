import type { Tx } from '../../db/index.js';
import type { EventConsumer, StoredEvent } from '../../platform/index.js';
import { type Conversation, findConversation } from '../conversations/index.js';
import { teamsOfPerson } from '../people/index.js';
import { routedTeamIds } from './routing.repo.js';
import { requestSweep } from './sweep.js';

export const ROUTING_CONSUMER = 'routing';

const field = (e: StoredEvent, side: 'before' | 'after', name: string): unknown =>
  (e.data[side] as Record<string, unknown> | undefined)?.[name];
const idOf = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A conversation waiting in its team's queue (what a sweep hands out). */
const queued = (c: Conversation | undefined) =>
  c && c.teamId !== null && c.assigneeId === null && (c.status === 'new' || c.status === 'open');

/**
 * The teams whose queue an event may let routing move: the conversation's own team when it now waits
 * unassigned in it, and every team of an agent who came online or has just freed capacity.
 */
async function teamsToSweep(tx: Tx, e: StoredEvent): Promise<number[]> {
  const teams = new Set<number>();
  const ofPerson = async (personId: number | null) => {
    if (personId !== null) for (const t of await teamsOfPerson(tx, e.workspaceId, personId)) teams.add(t);
  };
  const conversation = async () => findConversation(tx, e.workspaceId, e.entityId);
  switch (e.type) {
    case 'conversation.created': {
      const teamId = idOf(field(e, 'after', 'teamId'));
      if (teamId !== null && field(e, 'after', 'assigneeId') == null) teams.add(teamId);
      break;
    }
    case 'conversation.team_changed':
    case 'conversation.reopened':
    case 'conversation.status_changed': {
      const c = await conversation();
      if (queued(c)) teams.add(c!.teamId!);
      break;
    }
    case 'conversation.assigned': {
      if (e.actorType === 'routing') break; // routing's own: frees nothing
      await ofPerson(idOf(field(e, 'before', 'assigneeId')));
      const c = await conversation();
      if (queued(c)) teams.add(c!.teamId!);
      break;
    }
    case 'conversation.solved':
    case 'conversation.closed': {
      const c = await conversation();
      await ofPerson(c?.assigneeId ?? null);
      break;
    }
    case 'person.availability_changed':
      if (field(e, 'after', 'availability') === 'online') await ofPerson(e.entityId);
      break;
    case 'team.member_added':
    case 'team.routing_changed':
      teams.add(e.entityId);
      break;
  }
  return [...teams];
}

/**
 * Turns the changes that may let routing assign into sweeps of the teams concerned (jobs, deduplicated per
 * team), for the teams that route automatically. Nothing here assigns: the sweep job does, under its lock.
 */
export const routingConsumer: EventConsumer = {
  types: [
    'conversation.created',
    'conversation.team_changed',
    'conversation.reopened',
    'conversation.status_changed',
    'conversation.assigned',
    'conversation.solved',
    'conversation.closed',
    'person.availability_changed',
    'team.member_added',
    'team.routing_changed',
  ],
  async handle(tx, event, ctx) {
    const teams = await routedTeamIds(tx, event.workspaceId, await teamsToSweep(tx, event));
    const now = ctx.clock.now();
    for (const teamId of teams) await requestSweep(tx, event.workspaceId, teamId, now);
  },
};
