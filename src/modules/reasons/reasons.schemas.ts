import { z } from 'zod';
import { contactReasonStatuses } from '../../db/schema/reasons.js';
import { iso, isoTime } from '../../platform/index.js';
import type { Department } from './departments.repo.js';
import type { ContactReason } from './reasons.repo.js';
import { joinPath } from './taxonomy.js';

const refId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const name = z.string().trim().min(1).max(80);
export const description = z.string().trim().max(2000);

export const departmentBody = { name, description: description.optional() };

export const departmentSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Department');

export const presentDepartment = (d: Department) => ({
  id: d.id,
  name: d.name,
  description: d.description,
  createdAt: iso(d.createdAt)!,
  updatedAt: iso(d.updatedAt)!,
});

export const statusSchema = z.enum(contactReasonStatuses);

export const reasonBody = {
  name: name.describe('May not contain ">" (it separates the levels of a path)'),
  description: description.optional(),
  parentId: refId.nullable().optional().describe('The group this reason belongs to; null: top level'),
  departmentId: refId.nullable().optional().describe('The department that owns its root cause'),
  avoidable: z.boolean().optional().describe('Failure demand (avoidable); false: value demand'),
  status: statusSchema.optional().describe('archived: kept for history and reports, no longer chosen'),
};

export const contactReasonSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string(),
    parentId: z.number().nullable(),
    departmentId: z.number().nullable(),
    avoidable: z.boolean(),
    status: statusSchema,
    path: z.array(z.string()).describe('Names from the top group down to this reason'),
    pathText: z.string().describe('The path as the CSV writes it: `Billing > Charged twice`'),
    childIds: z.array(z.number()).describe('Its sub-reasons: a reason with children is a group'),
    createdAt: isoTime,
    updatedAt: isoTime,
    archivedAt: isoTime.nullable(),
  })
  .describe('ContactReason');

export const presentReason = (r: ContactReason, path: string[], childIds: number[]) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  parentId: r.parentId,
  departmentId: r.departmentId,
  avoidable: r.avoidable,
  status: r.status,
  path,
  pathText: joinPath(path),
  childIds,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
  archivedAt: iso(r.archivedAt),
});
