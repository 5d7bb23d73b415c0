import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, unwrap } from '../../platform/index.js';
import { canSendAccountMail } from './account-mail.js';
import { email, password } from './people.schemas.js';
import { sendNewSession, sessionSchema } from './session.routes.js';
import { startSession } from './sessions.service.js';
import { onlyWorkspaceSlug, setUpFirstWorkspace, setupNeeded } from './setup.service.js';

/** GET /instance and POST /setup: what the sign-in page needs to know, and the first start in the browser. */
export function registerSetupRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perAddress = { max: deps.settings.signInPerMinute, timeWindow: '1 minute' };

  r.get(
    '/instance',
    {
      config: { public: true },
      schema: {
        tags: ['session'],
        summary: 'Whether this Steward waits for its setup, and whether it can send account e-mails',
        security: [],
        response: {
          200: z.object({
            setupNeeded: z.boolean().describe('No workspace yet: POST /setup creates the first one'),
            canSendEmail: z
              .boolean()
              .describe('Password-reset and invitation mails can be sent (mail server and public URL set)'),
            onlyWorkspace: z
              .string()
              .nullable()
              .describe('The slug of the only workspace, which sign-in fills in; null with none or several'),
          }),
          ...commonErrors,
        },
      },
    },
    async () => {
      const only = await onlyWorkspaceSlug(deps);
      return {
        setupNeeded: only === undefined && (await setupNeeded(deps)),
        canSendEmail: canSendAccountMail(deps.settings),
        onlyWorkspace: only ?? null,
      };
    },
  );

  r.post(
    '/setup',
    {
      config: { public: true, rateLimit: perAddress },
      schema: {
        tags: ['session'],
        summary:
          'First start: create the workspace and its owner, and sign in. Works once; afterwards 409 SETUP_DONE',
        security: [],
        body: z.strictObject({
          workspaceName: z.string().trim().min(1).max(120),
          slug: z
            .string()
            .trim()
            .toLowerCase()
            .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, '2 to 41 lowercase letters, digits and dashes')
            .optional()
            .describe('What people type as "workspace" when signing in; made from the name when left out'),
          name: z.string().trim().min(1).max(120).describe('Your name'),
          email,
          password,
          demoData: z
            .boolean()
            .default(false)
            .describe(
              'Add the demo data set (3,000 conversations with customers and colleagues) to try Steward',
            ),
        }),
        response: { 201: sessionSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { demoData, ...input } = request.body;
      const { owner } = unwrap(await setUpFirstWorkspace(deps, input));
      request.log.info({ workspaceId: owner.workspaceId }, 'Steward set up in the browser');
      if (demoData && deps.demo) await deps.demo.load(owner.workspaceId);
      return sendNewSession(deps, request, reply, await startSession(deps, owner), 201);
    },
  );
}
