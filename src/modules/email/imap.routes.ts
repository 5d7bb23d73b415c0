import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  idParam,
  iso,
  isoTime,
  openSecret,
  optionalIsoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { findImap, type ImapSettingsRow, listFolderStates } from './imap.repo.js';
import {
  pollNow,
  removeImapSettings,
  sameAccount,
  saveImapSettings,
  testImapSettings,
} from './imap.service.js';

const security = z
  .enum(['tls', 'starttls', 'none'])
  .describe('tls: TLS from the start (port 993); starttls: upgraded (143); none: only where allowed');

const server = {
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or an IP address'),
  port: z.number().int().min(1).max(65_535),
  security,
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(1_000).optional().describe('Write-only; absent keeps the stored one'),
};

const settingsBody = z.strictObject({
  ...server,
  folders: z
    .array(z.string().trim().min(1).max(500))
    .min(1)
    .max(20)
    .default(['INBOX'])
    .describe('The folders to poll'),
  afterFetch: z
    .enum(['keep', 'seen', 'delete'])
    .default('seen')
    .describe('What happens on the server to a message once it is stored here (never before)'),
  pollSeconds: z.number().int().min(30).max(86_400).default(60),
  enabled: z.boolean().default(true),
});

const imapSchema = z
  .object({
    mailboxId: z.number(),
    host: z.string(),
    port: z.number(),
    security,
    username: z.string(),
    passwordReadable: z
      .boolean()
      .describe('False when the stored password was sealed with another secret key: enter it again'),
    folders: z.array(z.string()),
    afterFetch: z.enum(['keep', 'seen', 'delete']),
    pollSeconds: z.number(),
    enabled: z.boolean(),
    polling: z.boolean().describe('A poll is under way'),
    lastPollAt: optionalIsoTime,
    lastSuccessAt: optionalIsoTime,
    lastError: z.string().nullable(),
    fetched: z.number(),
    skipped: z.number(),
    lastSkipped: z.string().nullable(),
    folderStates: z.array(
      z.object({ folder: z.string(), uidValidity: z.string(), lastUid: z.number(), updatedAt: isoTime }),
    ),
  })
  .describe('ImapPolling');

const tags = ['email'];

export function registerImapRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

  async function present(row: ImapSettingsRow) {
    const states = await listFolderStates(deps.db, row.workspaceId, row.mailboxId);
    const now = deps.clock.now();
    return {
      mailboxId: row.mailboxId,
      host: row.host,
      port: row.port,
      security: row.security,
      username: row.username,
      passwordReadable: openSecret(deps.settings.secretKey ?? '', row.passwordSealed) !== undefined,
      folders: row.folders,
      afterFetch: row.afterFetch,
      pollSeconds: row.pollSeconds,
      enabled: row.enabled,
      polling: row.pollingUntil !== null && row.pollingUntil > now,
      lastPollAt: iso(row.lastPollAt),
      lastSuccessAt: iso(row.lastSuccessAt),
      lastError: row.lastError,
      fetched: row.fetched,
      skipped: row.skipped,
      lastSkipped: row.lastSkipped,
      folderStates: states.map((s) => ({
        folder: s.folder,
        uidValidity: s.uidValidity,
        lastUid: s.lastUid,
        updatedAt: iso(s.updatedAt)!,
      })),
    };
  }

  async function settingsOf(workspaceId: number, mailboxId: number) {
    const row = await findImap(deps.db, workspaceId, mailboxId);
    if (!row) throw new HttpError('IMAP_NOT_CONFIGURED', 'This mailbox is not polled by IMAP');
    return row;
  }

  r.get(
    '/mailboxes/:id/imap',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: "The mailbox's IMAP polling: settings (never the password) and where it stands",
        params: idParam,
        response: { 200: imapSchema, ...commonErrors },
      },
    },
    async (request) => present(await settingsOf(principalOf(request).workspaceId, request.params.id)),
  );

  r.put(
    '/mailboxes/:id/imap',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Poll an existing mailbox by IMAP (set up or change); a poll starts at once',
        description:
          'The first poll of a folder starts at its oldest unread message. A message is flagged or deleted on the server only after it is stored; the last UID is remembered per folder.',
        params: idParam,
        body: settingsBody,
        response: { 200: imapSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return present(
        unwrap(await saveImapSettings(deps, p.workspaceId, request.params.id, actor(p), request.body)),
      );
    },
  );

  r.delete(
    '/mailboxes/:id/imap',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Stop polling this mailbox by IMAP and forget its settings',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeImapSettings(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/mailboxes/:id/imap/poll',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Poll now instead of at the next interval',
        params: idParam,
        response: { 202: z.object({ queued: z.literal(true) }), ...commonErrors },
      },
    },
    async (request, reply) => {
      unwrap(await pollNow(deps, principalOf(request).workspaceId, request.params.id));
      return reply.status(202).send({ queued: true as const });
    },
  );

  r.post(
    '/mailboxes/:id/imap/test',
    {
      config: { action: 'workspace.admin', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "Sign in to an IMAP server with these settings and list the account's folders",
        description:
          'Without a password, the stored one is used (only for the same host, port and user name). A server that refuses or cannot be reached answers `ok: false` with its reason.',
        params: idParam,
        body: z.strictObject(server),
        response: {
          200: z.union([
            z.object({ ok: z.literal(true), folders: z.array(z.string()) }),
            z.object({ ok: z.literal(false), error: z.string() }),
          ]),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const id = request.params.id;
      return unwrap(
        await testImapSettings(deps, workspaceId, id, request.body, async () => {
          const row = await findImap(deps.db, workspaceId, id);
          return row && sameAccount(row, request.body)
            ? openSecret(deps.settings.secretKey ?? '', row.passwordSealed)
            : undefined;
        }),
      );
    },
  );
}
