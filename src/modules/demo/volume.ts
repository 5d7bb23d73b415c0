import { type Rng, rngFor, weightedPicker } from './prng.js';
import type { ContactReason } from './reason-types.js';
import { reasonCatalogue } from './reasons.js';
import { DAY, HOUR, volumeWeight } from './rhythm.js';

/** Days of the 90-day window on which something went wrong, and the contact reasons that surged. */
type Incident = { fromDay: number; days: number; boost: number; reasons: Record<string, number> };

/**
 * Two incidents give the analytics something to find: a courier backlog (where is my order?) and a card
 * processor outage (declined payments). Day numbers count from the start of the window.
 */
export const incidents: readonly Incident[] = [
  {
    fromDay: 38,
    days: 3,
    boost: 1.25,
    reasons: { 'bitext:track_order': 5, 'bitext:delivery_period': 4, 'bitext:complaint': 2 },
  },
  {
    fromDay: 71,
    days: 1,
    boost: 1.2,
    reasons: {
      'banking77:declined_card_payment': 8,
      'banking77:card_not_working': 6,
      'banking77:declined_cash_withdrawal': 4,
    },
  },
];

export type VolumeWindow = {
  start: number;
  now: number;
  /** Hour-long slots from `start`; the last one ends at `now`. */
  slotCount: number;
  /** Conversations that start in slots [0, k): exactly `conversations` after the last slot. */
  cumulativeTarget(k: number): number;
  pickReason(t: number, rng: Rng): ContactReason;
};

export function volumeWindow(
  seed: number | string,
  now: number,
  conversations: number,
  days = 90,
): VolumeWindow {
  const first = now - days * DAY;
  const start = first - (first % HOUR) + (first % HOUR === 0 ? 0 : HOUR);
  const slotCount = Math.ceil((now - start) / HOUR);
  const noise = rngFor(seed, 'daily-volume');
  const dayFactor: number[] = [];
  for (let d = 0; d <= days + 1; d++) {
    // Day-to-day noise around a gentle growth over the quarter.
    let f = (0.95 + (0.1 * d) / days) * (0.88 + 0.24 * noise.next());
    for (const i of incidents) if (d >= i.fromDay && d < i.fromDay + i.days) f *= i.boost;
    dayFactor.push(f);
  }
  const cumulative: number[] = [0];
  let total = 0;
  for (let k = 0; k < slotCount; k++) {
    const s = start + k * HOUR;
    const length = Math.min(HOUR, now - s) / HOUR;
    total += volumeWeight(s) * (dayFactor[Math.floor((s - start) / DAY)] as number) * length;
    cumulative.push(total);
  }

  const weights = reasonCatalogue.map((r) => r.weight);
  const normal = weightedPicker(reasonCatalogue, weights);
  const surges = incidents.map((i) =>
    weightedPicker(
      reasonCatalogue,
      reasonCatalogue.map((r, n) => (weights[n] as number) + (i.reasons[r.key] ?? 0) * 10),
    ),
  );

  return {
    start,
    now,
    slotCount,
    cumulativeTarget: (k) =>
      total === 0 ? 0 : Math.round((conversations * (cumulative[Math.min(k, slotCount)] as number)) / total),
    pickReason(t, rng) {
      const day = Math.floor((t - start) / DAY);
      const i = incidents.findIndex((x) => day >= x.fromDay && day < x.fromDay + x.days);
      return i >= 0 ? (surges[i] as (r: Rng) => ContactReason)(rng) : normal(rng);
    },
  };
}
