import type { Executor } from '../../db/index.js';
import type { Availability } from '../../db/schema/people.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  publishRealtime,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { lockAvailability, type Person, updateAvailability } from './people.repo.js';

/**
 * Availability: whether a person takes new work. Routing assigns conversations only to people who are
 * `online`; `away` and `offline` keep what they have and get nothing new.
 *
 * Closing the last browser tab does NOT make anyone offline. Knowing that the last socket of a person is gone
 * takes presence shared by every Steward process (a socket count per person in the database, with heartbeats
 * and a reaper for processes that crash), and a reload or a flaky network would make people flap between
 * online and offline, taking conversations out of routing's hands mid-rotation. Instead the status is what
 * the person chose, and it goes `offline` when they sign out of their last session or are deactivated: cheap,
 * exact, and the same on every process.
 */
export type AvailabilityState = { personId: number; availability: Availability; changedAt: Date | null };

/**
 * Sets a person's availability under their row lock: an event (`person.availability_changed`, before/after)
 * and a realtime push to the workspace when it really changes; nothing when it is already so.
 */
export async function setAvailabilityInTx(
  tx: Executor,
  workspaceId: number,
  personId: number,
  availability: Availability,
  actor: Actor,
  now: Date,
): Promise<AvailabilityState | undefined> {
  const before = await lockAvailability(tx, workspaceId, personId);
  if (!before) return undefined;
  if (before.availability === availability) return { personId, availability, changedAt: before.changedAt };
  await updateAvailability(tx, workspaceId, personId, availability, now);
  await recordEvent(tx, {
    workspaceId,
    type: 'person.availability_changed',
    entityType: 'person',
    entityId: personId,
    actor,
    data: { before: { availability: before.availability }, after: { availability } },
    at: now,
  });
  await publishRealtime(tx, {
    workspaceId,
    type: 'person.availability_changed',
    data: { personId, availability },
  });
  return { personId, availability, changedAt: now };
}

export async function changeAvailability(
  deps: Deps,
  workspaceId: number,
  personId: number,
  availability: Availability,
): Promise<Result<AvailabilityState>> {
  return inTransaction(deps.db, async (tx) => {
    const state = await setAvailabilityInTx(
      tx,
      workspaceId,
      personId,
      availability,
      { type: 'person', id: personId },
      deps.clock.now(),
    );
    return state ? ok(state) : fail('PERSON_NOT_FOUND', 'Person not found');
  });
}

export const availabilityOf = (person: Person): AvailabilityState => ({
  personId: person.id,
  availability: person.availability,
  changedAt: person.availabilityChangedAt,
});
