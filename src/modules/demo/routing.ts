import type { Channel, Priority } from '../../db/schema/index.js';
import { corpusTexts } from './corpus.js';
import type { DemoCustomer } from './customers.js';
import { phrases } from './phrases.js';
import type { Rng } from './prng.js';
import type { ContactReason } from './reason-types.js';
import { isWorking } from './rhythm.js';
import type { DemoTeam } from './staff.js';

/**
 * How the demo company routes work: specialist teams own their departments' reasons; the outsourced vendor
 * takes a share of general and order work, and covers nights and weekends on written channels.
 */
export function routeTeam(
  teams: readonly DemoTeam[],
  reason: ContactReason,
  channel: Channel,
  t: number,
  rng: Rng,
) {
  const frontline = teams[0] as DemoTeam;
  const vendor = teams.find((team) => team.isVendor);
  const owner = teams.find((team) => team.departments.includes(reason.department)) ?? frontline;
  if (!vendor || reason.priority === 'urgent') return owner;
  if (channel !== 'phone' && !isWorking('office', t) && rng.chance(0.7)) return vendor;
  if ((owner === frontline || owner.departments.includes('Orders')) && rng.chance(0.3)) return vendor;
  return owner;
}

export function priorityOf(
  reason: ContactReason,
  customer: DemoCustomer,
  contactNo: number,
  rng: Rng,
): Priority {
  if (reason.priority) return reason.priority;
  const vip = customer.tier === 'gold' || customer.tier === 'platinum';
  if ((vip && contactNo >= 2) || contactNo >= 3) return 'high';
  if (reason.department === 'Marketing') return 'low';
  return rng.chance(0.04) ? 'high' : 'normal';
}

export function tagsOf(reason: ContactReason, customer: DemoCustomer): string[] {
  const tags = [reason.department.toLowerCase().replace(/[^a-z]+/g, '-')];
  if (customer.tier === 'gold' || customer.tier === 'platinum') tags.push('vip');
  if (customer.company) tags.push('business');
  return tags;
}

/** Shortens to a word boundary, for subjects taken from the first message. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Mail and web forms carry a subject line; other channels show the start of the first message. */
export function subjectOf(channel: Channel, reason: ContactReason, firstText: string, rng: Rng): string {
  if (channel === 'webform') return reason.subject;
  if (channel === 'email') return rng.chance(0.7) ? reason.subject : clip(firstText.split('\n')[0] ?? '', 80);
  return clip(firstText.replace(/\s+/g, ' '), 80);
}

/** The customer's own words: a real text for the reason, on a repeat contact often with "again" in front. */
export function firstTextOf(
  reason: ContactReason,
  customer: DemoCustomer,
  channel: Channel,
  contactNo: number,
  rng: Rng,
): string {
  let text = rng.pick(corpusTexts(reason.key));
  if (contactNo > 1 && rng.chance(0.6)) text = `${phrases.repeatOpener(rng)}${text}`;
  if (channel === 'email' && rng.chance(0.4)) text = `${text}\n\n${customer.firstName}`;
  return text;
}
