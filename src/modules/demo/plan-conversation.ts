import type { Channel, Priority } from '../../db/schema/index.js';
import type { DemoCustomer } from './customers.js';
import { phrases, type Voice } from './phrases.js';
import type { Rng } from './prng.js';
import type { ContactReason } from './reason-types.js';
import { customerAwake, DAY, HOUR, MINUTE, nextWorkingTime } from './rhythm.js';
import { type DemoAgent, type DemoTeam, pickAgent } from './staff.js';
import type { Step } from './timeline.js';

/** Solved conversations close after this many days without news (Steward's default auto-close). */
export const AUTO_CLOSE_DAYS = 4;

export type ConversationPlan = {
  steps: Step[];
  assignee: DemoAgent;
  /** When the last planned solve happens (possibly after `now`). */
  solvedAt: number;
};

/** Median minutes before an agent first answers, and how widely it varies, by channel. */
const firstReply: Record<Channel, [number, number]> = {
  chat: [1.5, 0.8],
  phone: [0.5, 0.4],
  sms: [35, 1.0],
  whatsapp: [25, 1.0],
  social: [45, 1.0],
  email: [200, 1.0],
  webform: [240, 1.0],
  api: [120, 1.0],
};

/** Median minutes before a customer answers an agent's question. */
const customerReply: Record<Channel, [number, number]> = {
  chat: [1.2, 0.6],
  phone: [24 * 60, 0.5],
  sms: [30, 1.2],
  whatsapp: [20, 1.2],
  social: [60, 1.1],
  email: [6 * 60, 1.0],
  webform: [8 * 60, 1.0],
  api: [60, 1.0],
};

const clampMinutes = (m: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, m)) * MINUTE;

export type PlanInput = {
  at: number;
  channel: Channel;
  customer: DemoCustomer;
  reason: ContactReason;
  team: DemoTeam;
  priority: Priority;
  firstText: string;
};

/**
 * Plans a whole conversation from its first message to its closing, ignoring `now`: the timeline player
 * keeps what happened before `now`. The shape: the customer writes (sometimes twice), an agent picks it up
 * within the team's working hours, zero or more question/answer rounds, a resolution; afterwards a "thanks"
 * or a "still not fixed" may reopen it; four days after the last solve it closes. A few conversations stall
 * for days (on hold for a third party, or pending on a customer who never answers).
 */
export function planConversation(input: PlanInput, rng: Rng): ConversationPlan {
  const { channel, customer, reason, team } = input;
  const steps: Step[] = [];
  let t = input.at;
  const live = channel === 'chat' || channel === 'phone';
  const urgency = input.priority === 'urgent' ? 0.25 : input.priority === 'high' ? 0.6 : 1;

  steps.push({ kind: 'inbound', t, text: input.firstText, channel });
  // People split a chat into several lines; by mail or message they sometimes add a detail a bit later.
  if (channel !== 'phone' && rng.chance(channel === 'chat' ? 0.35 : 0.12)) {
    t += channel === 'chat' ? rng.between(10, 90) * 1000 : rng.between(1, 20) * MINUTE;
    steps.push({
      kind: 'inbound',
      t,
      text: phrases.detail(reason.department, rng, customer.country.currency),
      channel,
    });
  }

  // The agent picks it up: delay by channel, then the team's opening hours (live channels queue briefly).
  const agent = pickAgent(team, t, rng);
  const wait = (spec: [number, number], factor: number) =>
    clampMinutes(rng.logNormal(spec[0], spec[1]) * factor, 0.2, 3 * 24 * 60);
  const agentTime = (from: number, factor: number) => {
    const raw = from + wait(firstReply[channel], factor * agent.pace * urgency);
    const open = nextWorkingTime(team.shift, raw);
    return open === raw ? raw : open + rng.int(live ? 10 * MINUTE : 90 * MINUTE);
  };
  const voice: Voice = {
    channel,
    customerFirstName: customer.firstName,
    agentFirstName: agent.firstName,
    currency: customer.country.currency,
  };
  const pickedUp = agentTime(t, 1);
  chaseWhileWaiting(steps, { from: t, until: pickedUp, channel }, rng);
  t = pickedUp;
  steps.push({ kind: 'assign', t, to: agent.id, by: agent.id });
  steps.push({ kind: 'status', t, to: 'open', by: agent.id });
  const vip = customer.tier === 'gold' || customer.tier === 'platinum';
  if (rng.chance(vip ? 0.25 : 0.12)) {
    t += rng.between(1, 15) * MINUTE;
    steps.push({ kind: 'note', t, text: phrases.note(reason.department, rng, vip), by: agent.id });
  }

  const stall = rng.next();
  // A few very long threads (bench: opening a 30-message conversation); live channels settle things fast.
  const rounds = rng.chance(0.003) ? rng.between(12, 15) : sampleRounds(rng, channel);
  for (let r = 0; r < rounds; r++) {
    t += rng.between(1, 5) * MINUTE;
    const asks = r === 0 || rng.chance(0.6);
    const text = asks ? phrases.question(voice, reason.department, rng) : phrases.holding(voice, rng);
    steps.push({ kind: 'outbound', t, text, by: agent.id, channel, setStatus: asks ? 'pending' : 'open' });
    if (r === 0 && stall < 0.02) {
      // The customer never answers: after a week the agent closes the loop.
      t = nextWorkingTime(team.shift, t + 7 * DAY);
      steps.push({
        kind: 'outbound',
        t,
        text: phrases.stillWaiting(voice, rng),
        by: agent.id,
        channel,
        setStatus: 'solved',
      });
      steps.push({ kind: 'status', t: t + AUTO_CLOSE_DAYS * DAY, to: 'closed', by: null });
      return { steps, assignee: agent, solvedAt: t };
    }
    t = customerAwake(t + wait(customerReply[channel], 1), rng.next());
    const reply =
      asks || rng.chance(0.5)
        ? phrases.detail(reason.department, rng, customer.country.currency)
        : phrases.chaser(rng);
    steps.push({ kind: 'inbound', t, text: reply, channel });
    t = agentTime(t, 0.7);
  }
  if (stall >= 0.02 && stall < 0.05) {
    // Waiting on a third party (courier, card scheme) for days before the answer can be given.
    t += rng.between(1, 10) * MINUTE;
    steps.push({
      kind: 'outbound',
      t,
      text: phrases.holding(voice, rng),
      by: agent.id,
      channel,
      setStatus: 'on_hold',
    });
    t = nextWorkingTime(team.shift, t + rng.logNormal(4, 0.6) * DAY);
  }

  t += rng.between(1, 6) * MINUTE;
  const resolve = (sorry: boolean) => {
    const text = phrases.resolution(voice, reason.department, reason.avoidable, rng, sorry);
    steps.push({ kind: 'outbound', t, text, by: agent.id, channel, setStatus: 'solved' });
  };
  resolve(false);
  let solvedAt = t;

  if (rng.chance(0.09)) {
    // A "thanks" reopens the conversation (Steward's rule); the agent solves it again without replying.
    t = customerAwake(t + rng.between(2, 180) * MINUTE, rng.next());
    steps.push({ kind: 'inbound', t, text: phrases.thanks(rng), channel });
    t = nextWorkingTime(team.shift, t + rng.between(5, 90) * MINUTE);
    steps.push({ kind: 'status', t, to: 'solved', by: agent.id });
    solvedAt = t;
  } else if (rng.chance(0.03 + (1 - agent.quality) * 0.12)) {
    t = customerAwake(t + rng.between(6, 60) * HOUR, rng.next());
    steps.push({ kind: 'inbound', t, text: phrases.notFixed(rng), channel });
    t = agentTime(t, 0.6);
    resolve(true);
    solvedAt = t;
  }
  steps.push({ kind: 'status', t: solvedAt + AUTO_CLOSE_DAYS * DAY, to: 'closed', by: null });
  return { steps, assignee: agent, solvedAt };
}

/** How long a customer waits for a first answer before writing again, by channel (none on the phone). */
const patience: Record<Channel, number> = {
  chat: 4 * MINUTE,
  phone: Number.POSITIVE_INFINITY,
  sms: 2 * HOUR,
  whatsapp: 2 * HOUR,
  social: 2 * HOUR,
  email: 8 * HOUR,
  webform: 8 * HOUR,
  api: 8 * HOUR,
};

/**
 * A customer left waiting past their patience often writes again before anyone answers, more upset the
 * longer it takes: the distress Steward reads sits where it does in a real queue, on the conversations
 * still waiting for an answer.
 */
function chaseWhileWaiting(
  steps: Step[],
  wait: { from: number; until: number; channel: Channel },
  rng: Rng,
): void {
  const limit = patience[wait.channel];
  let t = wait.from;
  // In a chat, minutes are a long wait, not the hours the second, angrier message speaks of.
  for (const round of wait.channel === 'chat' ? ([1] as const) : ([1, 2] as const)) {
    if (wait.until - wait.from < limit * (round === 1 ? 1 : 3) || !rng.chance(0.55)) return;
    const at =
      wait.channel === 'chat' ? t + limit : customerAwake(t + (limit * rng.between(10, 15)) / 10, rng.next());
    if (at >= wait.until - MINUTE) return;
    t = at;
    steps.push({ kind: 'inbound', t, text: phrases.waitingChaser(rng, round), channel: wait.channel });
  }
}

/** Question/answer rounds before the resolution: most need one at most, a phone call rarely any. */
function sampleRounds(rng: Rng, channel: Channel): number {
  const x = rng.next();
  if (channel === 'phone') return x < 0.8 ? 0 : 1;
  if (channel === 'chat') return x < 0.5 ? 0 : x < 0.85 ? 1 : 2;
  return x < 0.2 ? 0 : x < 0.55 ? 1 : x < 0.8 ? 2 : x < 0.93 ? 3 : 4;
}
