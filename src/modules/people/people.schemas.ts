import { z } from 'zod';
import { availabilities } from '../../db/schema/people.js';
import { iso, isoTime, optionalIsoTime } from '../../platform/index.js';
import type { ApiToken } from './auth.repo.js';
import type { Person } from './people.repo.js';
import { roles } from './permissions.js';

export const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
export const password = z.string().min(10, 'at least 10 characters').max(200);
export const roleSchema = z.enum(roles);
export const availabilitySchema = z
  .enum(availabilities)
  .describe(
    'online: takes new work (routing assigns to online people only); away, offline: gets nothing new',
  );

export const personSchema = z
  .object({
    id: z.number(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    isOwner: z.boolean(),
    status: z.enum(['active', 'deactivated', 'invited']),
    availability: availabilitySchema,
    createdAt: isoTime,
    deactivatedAt: optionalIsoTime,
  })
  .describe('Person');

export const presentPerson = (p: Person) => ({
  id: p.id,
  email: p.email,
  name: p.name,
  role: p.role,
  isOwner: p.isOwner,
  status: p.status,
  availability: p.availability,
  createdAt: iso(p.createdAt)!,
  deactivatedAt: iso(p.deactivatedAt),
});

export const tokenSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    prefix: z.string(),
    personId: z.number(),
    scopes: z.array(z.string()),
    createdAt: isoTime,
    expiresAt: optionalIsoTime,
    lastUsedAt: optionalIsoTime,
    revokedAt: optionalIsoTime,
  })
  .describe('ApiToken');

export const presentToken = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  personId: t.personId,
  scopes: t.scopes,
  createdAt: iso(t.createdAt)!,
  expiresAt: iso(t.expiresAt),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});
