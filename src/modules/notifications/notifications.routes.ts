import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { digestFrequencies, emailModes } from '../../db/schema/notifications.js';
import {
  commonErrors,
  type Deps,
  decodeCursor,
  encodeCursor,
  idParam,
  iso,
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { countUnread, listNotifications, type Notification } from './notifications.repo.js';
import {
  getPreferences,
  readAllNotifications,
  readNotification,
  updatePreferences,
} from './notifications.service.js';
import { isTimeZone } from './preferences.js';
import { notificationKinds } from './recipients.js';

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: z.string().describe('`assigned`, `mention`, `sla_breached`, … (README "Notifications")'),
  title: z.string(),
  link: z.string().describe('Path in the agent app'),
  entityType: z.string(),
  entityId: z.number().int(),
  eventId: z.number().int(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  emailedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const presentNotification = (n: Notification): z.infer<typeof notificationSchema> => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  link: n.link,
  entityType: n.entityType,
  entityId: n.entityId,
  eventId: n.eventId,
  read: n.readAt !== null,
  readAt: iso(n.readAt),
  emailedAt: iso(n.emailedAt),
  createdAt: n.createdAt.toISOString(),
});

const emailMode = z.enum(emailModes);
const kindModes = <T extends z.ZodType>(mode: T) =>
  z.strictObject(
    Object.fromEntries(notificationKinds.map((k) => [k, mode])) as Record<
      (typeof notificationKinds)[number],
      T
    >,
  );
const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'an IANA time zone such as Europe/Berlin')
  .describe('IANA time zone of the daily digest');

const preferencesSchema = z.object({
  inApp: z.literal('always'),
  email: kindModes(emailMode),
  digest: z.object({ frequency: z.enum(digestFrequencies), hour: z.number().int(), timeZone: z.string() }),
  emailActive: z.boolean(),
  emailInactiveReason: z.string().nullable(),
});

const preferencesChange = z.strictObject({
  email: kindModes(emailMode.optional())
    .partial()
    .optional()
    .describe('Per kind: `off`, `immediate` or `digest`; kinds left out keep their setting'),
  digest: z
    .strictObject({
      frequency: z.enum(digestFrequencies).optional(),
      hour: z.number().int().min(0).max(23).optional().describe('Local hour of the daily digest'),
      timeZone: timeZone.nullable().optional().describe('null: the workspace’s time zone'),
    })
    .optional(),
});

const tags = ['notifications'];

/** Notifications are personal: every signed-in person reads (`profile.read`) and changes (`profile.write`) only their own. */
export function registerNotificationRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/notifications',
    {
      config: { action: 'profile.read' },
      schema: {
        tags,
        summary: 'My notifications, newest first (keyset pages)',
        querystring: z.strictObject({
          ...pageQuery,
          unread: z.enum(['true', 'false']).optional().describe('`true`: only unread ones'),
        }),
        response: {
          200: z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { limit, cursor, unread } = request.query;
      const rows = await listNotifications(deps.db, p.workspaceId, p.personId, {
        unread: unread === 'true',
        after: decodeCursor(cursor),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => presentNotification(row.notification)),
        nextCursor: rows.length > limit && last ? encodeCursor(last.sortKey) : null,
      };
    },
  );

  r.get(
    '/notifications/unread-count',
    {
      config: { action: 'profile.read' },
      schema: {
        tags,
        summary: 'How many of my notifications are unread',
        response: { 200: z.object({ unread: z.number().int() }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { unread: await countUnread(deps.db, p.workspaceId, p.personId) };
    },
  );

  r.post(
    '/notifications/:id/read',
    {
      config: { action: 'profile.write' },
      schema: {
        tags,
        summary: 'Mark one of my notifications read',
        params: idParam,
        response: { 200: notificationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentNotification(
        unwrap(await readNotification(deps, p.workspaceId, p.personId, request.params.id)),
      );
    },
  );

  r.post(
    '/notifications/read-all',
    {
      config: { action: 'profile.write' },
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 200: z.object({ marked: z.number().int() }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return unwrap(await readAllNotifications(deps, p.workspaceId, p.personId));
    },
  );

  r.get(
    '/notifications/preferences',
    {
      config: { action: 'profile.read' },
      schema: {
        tags,
        summary: 'My notification preferences',
        description:
          'Every notification is shown in the app; e-mail is chosen per kind. `emailActive` is false when this Steward has no mail server: choices are kept but nothing is sent.',
        response: { 200: preferencesSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return getPreferences(deps, p.workspaceId, p.personId);
    },
  );

  r.put(
    '/notifications/preferences',
    {
      config: { action: 'profile.write' },
      schema: {
        tags,
        summary: 'Change my notification preferences (what is left out keeps its value)',
        body: preferencesChange,
        response: { 200: preferencesSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return unwrap(await updatePreferences(deps, p.workspaceId, p.personId, request.body));
    },
  );
}
