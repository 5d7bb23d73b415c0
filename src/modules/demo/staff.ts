import { asciiSlug, firstNames, lastNames } from './names.js';
import { type Rng, rngFor } from './prng.js';
import type { Department } from './reason-types.js';
import { DAY, type Shift } from './rhythm.js';
import type { PersonRow, TeamMemberRow, TeamRow } from './rows.js';

/** A staff member as the simulation sees them: traits that shape their work but are not stored. */
export type DemoAgent = {
  id: number;
  firstName: string;
  /** Multiplies reply delays: < 1 is quicker than the team's norm. */
  pace: number;
  /** 0.5-1: how often their answers really fix the problem (poor answers cause repeat contacts). */
  quality: number;
  activeFrom: number;
  activeUntil: number;
};

export type DemoTeam = {
  id: number;
  name: string;
  isVendor: boolean;
  shift: Shift;
  departments: readonly Department[];
  lead: DemoAgent;
  agents: DemoAgent[];
};

export type Staff = { people: PersonRow[]; teams: TeamRow[]; members: TeamMemberRow[]; teamList: DemoTeam[] };

type TeamTemplate = { name: string; isVendor: boolean; share: number; departments: readonly Department[] };

/** In order of creation: a small workspace gets the first three, a large one all five. */
const teamTemplates: readonly TeamTemplate[] = [
  { name: 'Frontline', isVendor: false, share: 0.3, departments: [] },
  { name: 'Northwind Contact Centre', isVendor: true, share: 0.25, departments: [] },
  { name: 'Payments & Billing', isVendor: false, share: 0.2, departments: ['Payments', 'Billing'] },
  { name: 'Orders & Delivery', isVendor: false, share: 0.15, departments: ['Orders', 'Logistics', 'Sales'] },
  {
    name: 'Cards & Security',
    isVendor: false,
    share: 0.1,
    departments: ['Card operations', 'Risk & fraud', 'Compliance'],
  },
];

export function teamCountFor(conversations: number): number {
  return conversations < 1_000 ? 3 : conversations < 100_000 ? 4 : 5;
}

/** About 35 conversations per agent per day over the 90 days, within sensible bounds. */
export function agentCountFor(conversations: number): number {
  return Math.min(400, Math.max(4, Math.round(conversations / 90 / 35)));
}

type NameSource = { next(rng: Rng): { first: string; last: string; email: string } };

function staffNames(reserved: ReadonlySet<string>): NameSource {
  const used = new Set(reserved);
  return {
    next(rng) {
      for (let attempt = 0; ; attempt++) {
        const lang = rng.chance(0.8) ? 'en' : rng.pick(['de', 'fr', 'es', 'nl'] as const);
        const first = rng.pick(firstNames[lang]);
        const last = rng.pick(lastNames[lang]);
        const local = `${asciiSlug(first)}.${asciiSlug(last)}${attempt >= 5 ? attempt : ''}`;
        const email = `${local}@example.com`;
        if (!used.has(email)) {
          used.add(email);
          return { first, last, email };
        }
      }
    },
  };
}

export type StaffOptions = {
  seed: number | string;
  conversations: number;
  now: number;
  workspaceId: number;
  personIdBase: number;
  teamIdBase: number;
  reservedEmails: ReadonlySet<string>;
};

export function generateStaff(o: StaffOptions): Staff {
  const rng = rngFor(o.seed, 'staff');
  const names = staffNames(o.reservedEmails);
  const people: PersonRow[] = [];
  const windowStart = o.now - 90 * DAY;

  const addPerson = (role: PersonRow['role'], traits: Partial<DemoAgent> = {}): DemoAgent => {
    const { first, last, email } = names.next(rng);
    const id = o.personIdBase + people.length + 1;
    const createdAt = new Date(o.now - (120 + rng.int(6 * 365)) * DAY);
    const activeUntil = traits.activeUntil ?? Number.POSITIVE_INFINITY;
    const deactivated = Number.isFinite(activeUntil);
    people.push({
      workspaceId: o.workspaceId,
      id,
      email,
      name: `${first} ${last}`,
      role,
      isOwner: false,
      status: deactivated ? 'deactivated' : 'active',
      passwordHash: null,
      failedSignIns: 0,
      lockedUntil: null,
      createdAt,
      updatedAt: deactivated ? new Date(activeUntil) : createdAt,
      deactivatedAt: deactivated ? new Date(activeUntil) : null,
      availability: 'offline',
      availabilityChangedAt: null,
    });
    return {
      id,
      firstName: first,
      pace: traits.pace ?? 0.6 + rng.next() * 0.9,
      quality: traits.quality ?? 0.6 + rng.next() * 0.4,
      activeFrom: createdAt.getTime(),
      activeUntil,
    };
  };

  addPerson('admin');
  addPerson('manager');
  if (o.conversations >= 300_000) addPerson('manager');
  addPerson('executive');

  const templates = teamTemplates.slice(0, teamCountFor(o.conversations));
  const shareTotal = templates.reduce((s, t) => s + t.share, 0);
  const agentTotal = agentCountFor(o.conversations);
  const teamList: DemoTeam[] = templates.map((t, i) => {
    const lead = addPerson('lead', { quality: 0.85 + rng.next() * 0.15 });
    const size = Math.max(1, Math.round((agentTotal * t.share) / shareTotal));
    const agents: DemoAgent[] = [];
    for (let a = 0; a < size; a++) {
      // Some agents left during the period: they keep their history but can no longer sign in.
      const leaves = size > 3 && rng.chance(0.06);
      const activeUntil = leaves ? windowStart + (10 + rng.int(70)) * DAY : undefined;
      const quality = t.isVendor ? 0.5 + rng.next() * 0.35 : undefined;
      agents.push(
        addPerson('agent', { ...(activeUntil ? { activeUntil } : {}), ...(quality ? { quality } : {}) }),
      );
    }
    return {
      id: o.teamIdBase + i + 1,
      name: t.name,
      isVendor: t.isVendor,
      shift: t.isVendor ? 'extended' : 'office',
      departments: t.departments,
      lead,
      agents,
    };
  });

  const teamCreated = new Date(o.now - 400 * DAY);
  const teams: TeamRow[] = teamList.map((t) => ({
    workspaceId: o.workspaceId,
    id: t.id,
    name: t.name,
    leadId: t.lead.id,
    isVendor: t.isVendor,
    createdAt: teamCreated,
    updatedAt: teamCreated,
  }));
  const members: TeamMemberRow[] = teamList.flatMap((t) =>
    [t.lead, ...t.agents].map((p) => ({
      workspaceId: o.workspaceId,
      teamId: t.id,
      personId: p.id,
      createdAt: new Date(Math.max(p.activeFrom, teamCreated.getTime())),
    })),
  );
  return { people, teams, members, teamList };
}

/** An agent of the team who was working for the company at `t`; the lead when nobody else was. */
export function pickAgent(team: DemoTeam, t: number, rng: Rng): DemoAgent {
  for (let attempt = 0; attempt < 6; attempt++) {
    const agent = rng.pick(team.agents);
    if (agent.activeFrom <= t && t < agent.activeUntil) return agent;
  }
  return team.lead;
}
