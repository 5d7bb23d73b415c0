import type { ConversationStatus } from '../../db/schema/conversations.js';
import type { SlaTarget } from '../../db/schema/sla.js';
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from '../calendars/index.js';

/**
 * SLA clocks as a pure function of (policy, calendar, conversation history). No I/O and no "now": every time
 * comes from the history, so a consumer that handles an event late computes the same deadlines.
 *
 * The definitions (README "SLA policies"):
 * - The clock runs while the conversation is `new` or `open`, and `on_hold` unless the policy pauses on hold.
 *   It is paused while `pending` (waiting on the customer) and `on_hold` (when configured), and stopped while
 *   `solved` or `closed`. The customer's reply reopens a pending conversation, which resumes it.
 * - Time is measured in the policy's measure: business minutes of the calendar, or calendar minutes (then
 *   the calendar is ALWAYS_OPEN). A target's due time is the moment its running time reaches the target; the
 *   time paused shifts it by exactly that much.
 * - First response: from the customer's first message (for a conversation they opened: its creation) to our
 *   first reply after it.
 * - Next response: from each customer message that follows a reply of ours, to our next reply. Only the
 *   latest such cycle is kept.
 * - Resolution: from creation to solved. Reopening takes up the clock again with the time already used.
 * - Warning: the moment the running time reaches `warnPercent` of the target.
 * - A met target keeps the due time it had when met (the due time it would have had, when it was met before
 *   its clock ran out): met late is `metAt > dueAt`.
 */

export type SlaFact =
  | { kind: 'created'; at: Date; status: ConversationStatus }
  | { kind: 'status'; at: Date; to: ConversationStatus }
  | { kind: 'inbound'; at: Date }
  | { kind: 'outbound'; at: Date };

export type SlaPolicyTimes = {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  pauseOnHold: boolean;
  warnPercent: number;
};

export type ComputedClock = {
  target: SlaTarget;
  targetMinutes: number;
  startedAt: Date;
  /** Null while the clock is paused or stopped before the target was used up. */
  dueAt: Date | null;
  warnAt: Date | null;
  metAt: Date | null;
  /** Since when the clock stands still (paused or stopped); null while it runs, or once met. */
  pausedAt: Date | null;
  /** Target minutes not used yet at the end of the history (0 once used up). */
  remainingMinutes: number;
  /** Minutes (of the policy's measure) the clock stood still since `startedAt` (until met). */
  pausedMinutes: number;
};

type Segment = { from: number; to: number; running: boolean };

export function isRunning(status: ConversationStatus, pauseOnHold: boolean): boolean {
  return status === 'new' || status === 'open' || (status === 'on_hold' && !pauseOnHold);
}

/** The status over time, as segments from creation on; the last one never ends (`to` = Infinity). */
function segmentsOf(facts: SlaFact[], pauseOnHold: boolean): Segment[] {
  const created = facts.find((f) => f.kind === 'created');
  if (created?.kind !== 'created') return [];
  const out: Segment[] = [];
  let from = created.at.getTime();
  let status = created.status;
  for (const f of facts) {
    if (f.kind !== 'status' || f.at.getTime() < from) continue;
    out.push({ from, to: f.at.getTime(), running: isRunning(status, pauseOnHold) });
    from = f.at.getTime();
    status = f.to;
  }
  out.push({ from, to: Number.POSITIVE_INFINITY, running: isRunning(status, pauseOnHold) });
  return out.filter((s) => s.to > s.from);
}

/** One target's cycle from `start` (met at `end`, or still open), walked over the status segments. */
function clockOf(
  calendar: Calendar,
  segments: Segment[],
  target: SlaTarget,
  minutes: number,
  warnPercent: number,
  startedAt: Date,
  metAt: Date | null,
): ComputedClock {
  const start = startedAt.getTime();
  const limit = metAt ? metAt.getTime() : Number.POSITIVE_INFINITY;
  const measure = (a: number, b: number) => businessMinutesBetween(calendar, new Date(a), new Date(b));
  const add = (a: number, m: number) => addBusinessMinutes(calendar, new Date(a), Math.max(0, m));
  const warnMinutes = (minutes * warnPercent) / 100;
  let used = 0;
  let paused = 0;
  let dueAt: Date | null = null;
  let warnAt: Date | null = null;
  let pausedAt: Date | null = null;
  for (const s of segments) {
    const a = Math.max(s.from, start);
    const b = Math.min(s.to, limit);
    if (b <= a) continue;
    if (!s.running) {
      if (Number.isFinite(b)) paused += measure(a, b);
      else pausedAt = new Date(a);
      continue;
    }
    if (!Number.isFinite(b)) {
      warnAt ??= add(a, warnMinutes - used);
      dueAt ??= add(a, minutes - used);
      continue;
    }
    const span = measure(a, b);
    if (!warnAt && used + span >= warnMinutes) warnAt = add(a, warnMinutes - used);
    if (!dueAt && used + span >= minutes) dueAt = add(a, minutes - used);
    used += span;
  }
  if (metAt) {
    // Met before the clock ran out: the due time it had then (if it was running then).
    const at = segments.find((s) => s.from <= limit && limit < s.to);
    if (at?.running && limit >= start) {
      warnAt ??= add(limit, warnMinutes - used);
      dueAt ??= add(limit, minutes - used);
    }
    pausedAt = null;
  }
  return {
    target,
    targetMinutes: minutes,
    startedAt,
    dueAt,
    warnAt,
    metAt,
    pausedAt,
    remainingMinutes: Math.max(0, minutes - used),
    pausedMinutes: paused,
  };
}

const byTime = (a: SlaFact, b: SlaFact) => a.at.getTime() - b.at.getTime();

/** Every clock the policy measures for this history (a target not started yet has none). */
export function computeClocks(
  policy: SlaPolicyTimes,
  calendar: Calendar,
  history: SlaFact[],
): ComputedClock[] {
  const facts = [...history].sort(byTime);
  const segments = segmentsOf(facts, policy.pauseOnHold);
  const created = facts.find((f) => f.kind === 'created');
  if (!created || segments.length === 0) return [];
  const clocks: ComputedClock[] = [];
  const messages = facts.filter((f) => f.kind === 'inbound' || f.kind === 'outbound');
  const firstInbound = messages.find((m) => m.kind === 'inbound');

  if (policy.firstResponseMinutes !== null && firstInbound) {
    const reply = messages.find((m) => m.kind === 'outbound' && m.at >= firstInbound.at);
    clocks.push(
      clockOf(
        calendar,
        segments,
        'first_response',
        policy.firstResponseMinutes,
        policy.warnPercent,
        firstInbound.at,
        reply?.at ?? null,
      ),
    );
  }

  if (policy.nextResponseMinutes !== null && firstInbound) {
    // The latest customer message that follows a reply of ours (after the first response).
    let cycleStart: Date | null = null;
    let answered = false;
    let last: SlaFact['kind'] | null = null;
    let metAt: Date | null = null;
    for (const m of messages) {
      if (m.kind === 'inbound' && last === 'outbound' && answered) {
        cycleStart = m.at;
        metAt = null;
      } else if (m.kind === 'outbound') {
        if (m.at >= firstInbound.at) answered = true;
        if (cycleStart && !metAt) metAt = m.at;
      }
      last = m.kind;
    }
    if (cycleStart)
      clocks.push(
        clockOf(
          calendar,
          segments,
          'next_response',
          policy.nextResponseMinutes,
          policy.warnPercent,
          cycleStart,
          metAt,
        ),
      );
  }

  if (policy.resolutionMinutes !== null) {
    // Met by the latest solve, as long as the conversation is still solved (or closed) after it.
    let metAt: Date | null = null;
    for (const f of facts) {
      if (f.kind !== 'status') continue;
      if (f.to === 'solved') metAt = f.at;
      else if (f.to !== 'closed') metAt = null;
    }
    clocks.push(
      clockOf(
        calendar,
        segments,
        'resolution',
        policy.resolutionMinutes,
        policy.warnPercent,
        created.at,
        metAt,
      ),
    );
  }
  return clocks;
}

/**
 * The soonest deadline still to meet whose clock runs (overdue ones included), and its warning time. A clock
 * that stands still (pending, on hold, solved) is nobody's next deadline, even when it was overdue before.
 */
export function nextDeadline(clocks: Array<Pick<ComputedClock, 'dueAt' | 'warnAt' | 'metAt' | 'pausedAt'>>): {
  dueAt: Date | null;
  warnAt: Date | null;
} {
  let best: { dueAt: Date | null; warnAt: Date | null } = { dueAt: null, warnAt: null };
  for (const c of clocks) {
    if (c.metAt || !c.dueAt || c.pausedAt) continue;
    if (!best.dueAt || c.dueAt < best.dueAt) best = { dueAt: c.dueAt, warnAt: c.warnAt };
  }
  return best;
}
