import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, unwrap } from '../../platform/index.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.service.js';
import { email, password } from './people.schemas.js';

const token = z.string().trim().min(20).max(200);

export function registerPasswordResetRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perAddress = { max: deps.settings.signInPerMinute, timeWindow: '1 minute' };

  r.post(
    '/password-reset',
    {
      config: { public: true, rateLimit: perAddress },
      schema: {
        tags: ['session'],
        summary:
          'Forgot password: mails a one-time link (valid 1 hour) to the account with this address. Always 202, whether or not there is one',
        security: [],
        body: z.strictObject({
          email,
          workspace: z
            .string()
            .trim()
            .min(1)
            .max(60)
            .optional()
            .describe('The workspace slug; left out: every workspace where this address has an account'),
        }),
        response: { 202: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body);
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/password-reset/confirm',
    {
      config: { public: true, rateLimit: perAddress },
      schema: {
        tags: ['session'],
        summary: 'Set a new password with the link from the mail; ends every session of the account',
        security: [],
        body: z.strictObject({ token, password }),
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      unwrap(await confirmPasswordReset(deps, request.body));
      return reply.status(204).send(null);
    },
  );
}
