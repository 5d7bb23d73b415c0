import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  id,
  idParam,
  iso,
  isoDateTime,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { addBusinessMinutes, isOpen, nextOpen } from './business-time.js';
import { findCalendar, listCalendars, type StoredCalendar, teamsByCalendar } from './calendars.repo.js';
import {
  changeCalendar,
  createCalendar,
  readTeamCalendar,
  removeCalendar,
  setTeamCalendar,
  toCalendar,
} from './calendars.service.js';

/**
 * Shapes only (lengths, types); what the values mean (a real zone, HH:MM, intervals in order, days that exist)
 * is `calendarProblems`' job, which answers 422 INVALID_CALENDAR with every problem in words.
 */
const interval = z.strictObject({
  start: z.string().max(5).describe('HH:MM'),
  end: z.string().max(5).describe('HH:MM; 24:00 is midnight at the end of the day'),
});
const day = z.array(interval).max(12).optional();
const week = z
  .strictObject({ 1: day, 2: day, 3: day, 4: day, 5: day, 6: day, 7: day })
  .describe(
    'ISO weekday (1 = Monday … 7 = Sunday) → open intervals in the calendar’s zone; missing = closed',
  );
const holiday = z.strictObject({
  date: z.string().max(10).describe('YYYY-MM-DD'),
  yearly: z.boolean().optional().describe('Every year on this month and day'),
  name: z.string().trim().max(100).optional(),
});
const fields = {
  name: z.string().trim().min(1).max(80),
  timeZone: z.string().trim().min(1).max(64).describe('An IANA time zone: Europe/Berlin'),
  alwaysOpen: z.boolean().optional().describe('Open around the clock; hours and holidays are ignored'),
  week: week.optional(),
  holidays: z.array(holiday).max(500).optional(),
  isDefault: z.boolean().optional().describe('The calendar of every team that has none of its own'),
};

export const calendarSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    timeZone: z.string(),
    alwaysOpen: z.boolean(),
    week: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
    holidays: z.array(
      z.object({ date: z.string(), yearly: z.boolean().optional(), name: z.string().optional() }),
    ),
    isDefault: z.boolean(),
    teamIds: z.array(z.number()).describe('Teams that work by this calendar'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Calendar');

const present = (c: StoredCalendar, teamIds: number[]) => ({
  id: c.id,
  name: c.name,
  timeZone: c.timeZone,
  alwaysOpen: c.alwaysOpen,
  week: c.week as Record<string, Array<{ start: string; end: string }>>,
  holidays: c.holidays,
  isDefault: c.isDefault,
  teamIds,
  createdAt: iso(c.createdAt)!,
  updatedAt: iso(c.updatedAt)!,
});

const teamCalendarSchema = z
  .object({
    teamId: z.number(),
    calendarId: z.number().nullable().describe("The team's own calendar; null: it follows the default"),
    effectiveCalendarId: z.number().nullable().describe('The calendar that applies; null: always open'),
    source: z.enum(['team', 'workspace_default', 'always_open']),
  })
  .describe('TeamCalendar');

const tags = ['calendars'];

export function registerCalendarRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  const withTeams = async (workspaceId: number, c: StoredCalendar) =>
    present(c, (await teamsByCalendar(deps.db, workspaceId, [c.id])).get(c.id) ?? []);

  r.get(
    '/calendars',
    {
      config: { action: 'calendars.read' },
      schema: {
        tags,
        summary: 'List calendars (business hours and holidays)',
        response: { 200: z.object({ items: z.array(calendarSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const rows = await listCalendars(deps.db, ws);
      const teams = await teamsByCalendar(
        deps.db,
        ws,
        rows.map((c) => c.id),
      );
      return { items: rows.map((c) => present(c, teams.get(c.id) ?? [])) };
    },
  );

  r.post(
    '/calendars',
    {
      config: { action: 'calendars.admin' },
      schema: {
        tags,
        summary: 'Create a calendar',
        body: z.strictObject(fields),
        response: { 201: calendarSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = unwrap(await createCalendar(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send(await withTeams(p.workspaceId, created));
    },
  );

  r.get(
    '/calendars/:id',
    {
      config: { action: 'calendars.read' },
      schema: {
        tags,
        summary: 'One calendar',
        params: idParam,
        response: { 200: calendarSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const row = await findCalendar(deps.db, ws, request.params.id);
      if (!row) throw new HttpError('CALENDAR_NOT_FOUND', 'Calendar not found');
      return withTeams(ws, row);
    },
  );

  r.patch(
    '/calendars/:id',
    {
      config: { action: 'calendars.admin' },
      schema: {
        tags,
        summary: 'Change a calendar (a week or holiday list sent replaces the stored one)',
        params: idParam,
        body: z.strictObject({
          ...fields,
          name: fields.name.optional(),
          timeZone: fields.timeZone.optional(),
        }),
        response: { 200: calendarSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const row = unwrap(
        await changeCalendar(deps, p.workspaceId, request.params.id, actor(p), request.body),
      );
      return withTeams(p.workspaceId, row);
    },
  );

  r.delete(
    '/calendars/:id',
    {
      config: { action: 'calendars.admin' },
      schema: {
        tags,
        summary: 'Delete a calendar that neither the workspace nor a team uses',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeCalendar(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/calendars/:id/preview',
    {
      config: { action: 'calendars.read' },
      schema: {
        tags,
        summary: 'Check the hours: when `minutes` of business time after `from` are used up',
        params: idParam,
        querystring: z.strictObject({
          from: isoDateTime.optional().describe('Default: now'),
          minutes: z.coerce.number().int().min(0).max(525_600).default(60),
        }),
        response: {
          200: z
            .object({
              calendarId: z.number(),
              from: isoTime,
              minutes: z.number(),
              due: isoTime.describe('`from` plus `minutes` of open time'),
              openAtFrom: z.boolean(),
              nextOpen: isoTime.describe('`from` itself when open, else when the calendar opens next'),
            })
            .describe('CalendarPreview'),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const row = await findCalendar(deps.db, ws, request.params.id);
      if (!row) throw new HttpError('CALENDAR_NOT_FOUND', 'Calendar not found');
      const calendar = toCalendar(row);
      const from = request.query.from ? new Date(request.query.from) : deps.clock.now();
      try {
        return {
          calendarId: row.id,
          from: from.toISOString(),
          minutes: request.query.minutes,
          due: addBusinessMinutes(calendar, from, request.query.minutes).toISOString(),
          openAtFrom: isOpen(calendar, from),
          nextOpen: nextOpen(calendar, from).toISOString(),
        };
      } catch {
        // Holidays can cover every open day for years; the arithmetic then gives up rather than loop.
        throw new HttpError('CALENDAR_NEVER_OPEN', 'The calendar is not open at all in the next ten years');
      }
    },
  );

  const teamParam = z.strictObject({ id: idParam.shape.id });
  r.get(
    '/teams/:id/calendar',
    {
      config: { action: 'calendars.read' },
      schema: {
        tags,
        summary: "A team's calendar, and the one that applies to its work",
        params: teamParam,
        response: { 200: teamCalendarSchema, ...commonErrors },
      },
    },
    async (request) =>
      unwrap(await readTeamCalendar(deps.db, principalOf(request).workspaceId, request.params.id)),
  );

  r.put(
    '/teams/:id/calendar',
    {
      config: { action: 'calendars.admin' },
      schema: {
        tags,
        summary: 'Give a team its own calendar, or (null) let it follow the workspace default',
        params: teamParam,
        body: z.strictObject({ calendarId: id.max(Number.MAX_SAFE_INTEGER).nullable() }),
        response: { 200: teamCalendarSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      unwrap(
        await setTeamCalendar(deps, p.workspaceId, request.params.id, actor(p), request.body.calendarId),
      );
      return unwrap(await readTeamCalendar(deps.db, p.workspaceId, request.params.id));
    },
  );
}
