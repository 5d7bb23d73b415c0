import { type Channel, type DistressSignal, distressLevelOf } from '../../db/schema/index.js';
import { AUTO_CLOSE_JOB, autoCloseKey } from '../conversations/index.js';
import { analyseMessage, signalsOf } from '../understanding/index.js';
import {
  type CustomerContext,
  channelsOf,
  customerAt,
  customerBatches,
  type DemoCustomer,
  pickChannel,
} from './customers.js';
import { createHeap } from './heap.js';
import { AUTO_CLOSE_DAYS, planConversation } from './plan-conversation.js';
import { type Rng, rngFor } from './prng.js';
import type { ContactReason } from './reason-types.js';
import { findReason } from './reasons.js';
import { customerAwake, DAY, HOUR, isWorking, nextWorkingTime } from './rhythm.js';
import { firstTextOf, priorityOf, routeTeam, subjectOf, tagsOf } from './routing.js';
import {
  type ConversationBatch,
  type ConversationRow,
  type CustomerBatch,
  type IdBases,
  type MessageRow,
  type StaffBatch,
  zeroIdBases,
} from './rows.js';
import { generateStaff, type Staff } from './staff.js';
import { type IdCounters, playTimeline } from './timeline.js';
import { volumeWindow } from './volume.js';

/** Bump when the generator's output changes for the same options (benchmarks cache databases by it). */
export const GENERATOR_VERSION = 3;

export type DemoOptions = {
  seed: number | string;
  conversations: number;
  now: Date;
  workspaceId: number;
  /** Ids start above these (the loader passes the tables' current maxima). */
  ids?: Partial<IdBases>;
  /** Staff e-mail addresses already taken in the workspace. */
  reservedEmails?: Iterable<string>;
};

export type DemoPlan = {
  customerCount: number;
  staff: StaffBatch;
  customerBatches(size?: number): Generator<CustomerBatch>;
  conversationBatches(size?: number): Generator<ConversationBatch>;
};

/** A later contact on a matter, waiting in the heap until its time comes. */
type PendingContact = {
  at: number;
  matterKey: string;
  customerIndex: number;
  reasonKey: string;
  contactNo: number;
  channel: Channel;
  previousConversationId: number | null;
};

/** About 2.5 conversations per customer over the quarter; many customers never write at all. */
export function customerCountFor(conversations: number): number {
  return Math.max(10, Math.ceil(conversations / 2.5));
}

export function planDemo(options: DemoOptions): DemoPlan {
  const now = options.now.getTime();
  const ids: IdBases = { ...zeroIdBases, ...options.ids };
  const customerCount = customerCountFor(options.conversations);
  const staff = generateStaff({
    seed: options.seed,
    conversations: options.conversations,
    now,
    workspaceId: options.workspaceId,
    personIdBase: ids.person,
    teamIdBase: ids.team,
    reservedEmails: new Set(options.reservedEmails ?? []),
  });
  const customerCtx: CustomerContext = {
    seed: options.seed,
    now,
    workspaceId: options.workspaceId,
    idBase: ids.customer,
  };
  return {
    customerCount,
    staff: { people: staff.people, teams: staff.teams, teamMembers: staff.members },
    customerBatches: (size = 5_000) => customerBatches(customerCtx, customerCount, ids.identity, size),
    conversationBatches: (size = 2_000) =>
      conversationBatches(options, ids, staff, customerCtx, customerCount, Math.max(1, size)),
  };
}

function* conversationBatches(
  options: DemoOptions,
  ids: IdBases,
  staff: Staff,
  customerCtx: CustomerContext,
  customerCount: number,
  size: number,
): Generator<ConversationBatch> {
  const now = options.now.getTime();
  const total = options.conversations;
  const rng = rngFor(options.seed, 'conversations');
  const window = volumeWindow(options.seed, now, total);
  const pending = createHeap<PendingContact>();
  const counters: IdCounters = { message: ids.message, event: ids.event, job: ids.job };
  let emitted = 0;
  let matters = 0;
  let batch = emptyBatch();

  const pickCustomer = (t: number): DemoCustomer => {
    // Skewed: a minority of customers write often. Reject customers who joined after `t`.
    let c = customerAt(customerCtx, Math.floor(customerCount * rng.next() ** 1.35));
    for (let tries = 0; c.since > t && tries < 30; tries++) {
      c = customerAt(customerCtx, Math.floor(customerCount * rng.next() ** 1.35));
    }
    return c;
  };

  for (let k = 0; k < window.slotCount && emitted < total; k++) {
    const slotStart = window.start + k * HOUR;
    const slotEnd = Math.min(slotStart + HOUR, now);
    const due: PendingContact[] = [];
    while ((pending.peek()?.at ?? Number.POSITIVE_INFINITY) < slotEnd)
      due.push(pending.pop() as PendingContact);
    const fresh = Math.max(0, window.cumulativeTarget(k + 1) - emitted - due.length);
    for (let i = 0; i < fresh; i++) {
      const at = slotStart + Math.floor(rng.next() * (slotEnd - slotStart));
      const customer = pickCustomer(at);
      const reason = window.pickReason(at, rng);
      let channel = rng.chance(0.65) ? customer.preferredChannel : pickChannel(channelsOf(customer), rng);
      // Nobody answers the phone out of hours: those customers write instead.
      if (channel === 'phone' && !isWorking('office', at)) channel = rng.chance(0.5) ? 'email' : 'chat';
      due.push({
        at,
        matterKey: `matter-${++matters}`,
        customerIndex: customer.index,
        reasonKey: reason.key,
        contactNo: 1,
        channel,
        previousConversationId: null,
      });
    }
    due.sort((a, b) => a.at - b.at);
    for (const contact of due) {
      if (emitted >= total) break;
      const id = ids.conversation + ++emitted;
      const next = generateConversation(options, staff, customerCtx, contact, id, counters, batch, rng);
      if (next && next.at < now) pending.push(next);
      if (batch.conversations.length >= size) {
        yield batch;
        batch = emptyBatch();
      }
    }
  }
  if (batch.conversations.length > 0) yield batch;
}

function emptyBatch(): ConversationBatch {
  return { conversations: [], messages: [], sentiments: [], events: [], truths: [], jobs: [] };
}

/** Plans, plays and appends one conversation; returns the matter's next contact, if the customer comes back. */
function generateConversation(
  options: DemoOptions,
  staff: Staff,
  customerCtx: CustomerContext,
  contact: PendingContact,
  id: number,
  counters: IdCounters,
  batch: ConversationBatch,
  rng: Rng,
): PendingContact | null {
  const now = options.now.getTime();
  const customer = customerAt(customerCtx, contact.customerIndex);
  const reason = findReason(contact.reasonKey) as ContactReason;
  const { channel, at, contactNo } = contact;
  const team = routeTeam(staff.teamList, reason, channel, at, rng);
  const priority = priorityOf(reason, customer, contactNo, rng);
  const firstText = firstTextOf(reason, customer, channel, contactNo, rng);
  const plan = planConversation({ at, channel, customer, reason, team, priority, firstText }, rng);
  const played = playTimeline(
    {
      workspaceId: options.workspaceId,
      id,
      subject: subjectOf(channel, reason, firstText, rng),
      priority,
      channel,
      customerId: customer.id,
      teamId: team.id,
      tags: tagsOf(reason, customer),
      contactReasonId: null,
      contactReasonSource: null,
      contactReasonSetById: null,
      contactReasonSetAt: null,
      contactReasonNoneFits: false,
      slaNextDueAt: null,
      slaWarnAt: null,
      distressSignals: [],
      distressLevel: 0,
      previousConversationId: contact.previousConversationId,
      mergedIntoId: null,
      createdAt: new Date(at),
    },
    customer.id,
    plan.steps,
    now,
    counters,
  );
  const conversation = played.conversation;
  batch.conversations.push(conversation);
  if (conversation.status === 'solved' && conversation.solvedAt) {
    batch.jobs.push({
      workspaceId: options.workspaceId,
      id: ++counters.job,
      type: AUTO_CLOSE_JOB,
      payload: { conversationId: id, solvedAt: conversation.solvedAt.toISOString() },
      status: 'queued',
      runAt: new Date(conversation.solvedAt.getTime() + AUTO_CLOSE_DAYS * DAY),
      attempts: 0,
      maxAttempts: 8,
      dedupeKey: autoCloseKey(id),
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      createdAt: conversation.solvedAt,
      updatedAt: conversation.solvedAt,
      finishedAt: null,
    });
  }
  batch.messages.push(...played.messages);
  readCustomerMessages(options.workspaceId, conversation, played.messages, batch);
  batch.events.push(...played.events);
  batch.truths.push({
    workspaceId: options.workspaceId,
    conversationId: id,
    matterKey: contact.matterKey,
    reasonKey: reason.key,
    source: `demo:${reason.source}`,
  });
  return nextContact(contact, customer, reason, team.isVendor, plan.assignee.quality, plan.solvedAt, id, rng);
}

/**
 * Whether the customer comes back on the same matter, and when. Failure demand, a weak answer and the
 * outsourced vendor make it likelier; each further contact is less likely than the last. A "chaser" comes
 * while the first conversation is still unsolved, a "still broken" some days after it was solved.
 */
function nextContact(
  contact: PendingContact,
  customer: DemoCustomer,
  reason: ContactReason,
  vendor: boolean,
  quality: number,
  solvedAt: number,
  conversationId: number,
  rng: Rng,
): PendingContact | null {
  const base = [0, 0.12, 0.25, 0.12][contact.contactNo] ?? 0;
  const p = base + (reason.avoidable ? 0.08 : 0) + (1 - quality) * 0.2 + (vendor ? 0.05 : 0);
  if (base === 0 || !rng.chance(p)) return null;

  let at: number;
  let previousConversationId: number | null = null;
  const chaseAt = contact.at + Math.min(4 * DAY, Math.max(2 * HOUR, rng.logNormal(20, 0.6) * HOUR));
  if (rng.chance(0.35) && chaseAt < solvedAt) at = chaseAt;
  else {
    at = solvedAt + Math.min(13 * DAY, Math.max(6 * HOUR, rng.logNormal(3, 0.6) * DAY));
    // Writing back into a closed thread starts a new conversation linked to the old one.
    if (solvedAt + AUTO_CLOSE_DAYS * DAY <= at && rng.chance(0.3)) previousConversationId = conversationId;
  }
  at = customerAwake(at, rng.next());
  let channel = rng.chance(0.5) ? contact.channel : pickChannel(channelsOf(customer), rng);
  // Customers who keep having to come back often pick up the phone.
  if (customer.phone && contact.contactNo >= 2 && rng.chance(0.3)) channel = 'phone';
  if (channel === 'phone' && !isWorking('office', at))
    at = nextWorkingTime('office', at) + rng.int(90 * 60_000);
  if (previousConversationId !== null) channel = contact.channel;
  return {
    at,
    matterKey: contact.matterKey,
    customerIndex: contact.customerIndex,
    reasonKey: contact.reasonKey,
    contactNo: contact.contactNo + 1,
    channel,
    previousConversationId,
  };
}

/** Each customer message read as Steward reads it on arrival: its sentiment row, the conversation's distress. */
function readCustomerMessages(
  workspaceId: number,
  conversation: ConversationRow,
  messages: readonly MessageRow[],
  batch: ConversationBatch,
): void {
  const signals = new Set<DistressSignal>();
  for (const m of messages) {
    if (m.direction !== 'inbound') continue;
    const analysis = analyseMessage(m.bodyText);
    const found = signalsOf(analysis);
    for (const s of found) signals.add(s);
    batch.sentiments.push({
      workspaceId,
      messageId: m.id,
      score: analysis.score,
      label: analysis.label,
      lexiconLabel: analysis.label,
      source: 'lexicon',
      signals: found,
      correctedById: null,
      correctedAt: null,
      createdAt: m.createdAt,
    });
  }
  conversation.distressSignals = [...signals].sort();
  conversation.distressLevel = distressLevelOf([...signals]);
}
