import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  iso,
  optionalIsoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { type AvailabilityState, availabilityOf, changeAvailability } from './availability.service.js';
import { findPerson } from './people.repo.js';
import { availabilitySchema } from './people.schemas.js';

const availabilityResponse = z
  .object({ personId: z.number(), availability: availabilitySchema, changedAt: optionalIsoTime })
  .describe('Availability');

const present = (s: AvailabilityState) => ({
  personId: s.personId,
  availability: s.availability,
  changedAt: iso(s.changedAt),
});

export function registerAvailabilityRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/me/availability',
    {
      config: { action: 'profile.read' },
      schema: {
        tags: ['session'],
        summary: 'My availability: online, away or offline',
        response: { 200: availabilityResponse, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const person = await findPerson(deps.db, p.workspaceId, p.personId);
      if (!person) throw new HttpError('UNAUTHENTICATED', 'Sign in again');
      return present(availabilityOf(person));
    },
  );

  r.put(
    '/me/availability',
    {
      config: { action: 'profile.write' },
      schema: {
        tags: ['session'],
        summary: 'Set my availability',
        description:
          'Routing gives new conversations only to people who are `online`. Colleagues see the change at once (`person.availability_changed` on the realtime stream). Signing out of one’s last session sets `offline`; closing the browser does not.',
        body: z.strictObject({ availability: availabilitySchema }),
        response: { 200: availabilityResponse, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return present(
        unwrap(await changeAvailability(deps, p.workspaceId, p.personId, request.body.availability)),
      );
    },
  );
}
