import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, iso, isoTime, principalOf, unwrap } from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { type Placeholder, placeholders, shippedLocales, templateKeys } from './defaults.js';
import { normalizeLocale } from './render.js';
import { listOverrides } from './templates.repo.js';
import {
  overrideTemplate,
  previewTemplate,
  resetTemplate,
  type TemplateView,
  viewOf,
} from './templates.service.js';

const tags = ['templates'];
const keySchema = z.enum(templateKeys);
const locale = z
  .string()
  .max(35)
  .transform((v, ctx) => {
    const tag = normalizeLocale(v);
    if (!tag) ctx.addIssue({ code: 'custom', message: 'a locale such as en, de or de-AT' });
    return tag ?? '';
  });
const keyParams = z.strictObject({ key: keySchema });
const localeParams = z.strictObject({ key: keySchema, locale });
const MAX_TEMPLATE = 20_000;

const templateSchema = z
  .object({
    key: keySchema,
    description: z.string(),
    format: z
      .enum(['text', 'html'])
      .describe('html: placeholders are HTML-escaped; text: inserted as they are'),
    placeholders: z.array(z.object({ name: z.string(), description: z.string(), example: z.string() })),
    texts: z.array(
      z.object({
        locale: z.string(),
        text: z.string().describe('What customers in this locale get'),
        default: z
          .string()
          .nullable()
          .describe('The shipped default; null for a locale Steward ships none for'),
        overridden: z.boolean(),
        updatedAt: isoTime.nullable(),
      }),
    ),
  })
  .describe('CustomerTemplate');

const present = (v: TemplateView) => ({
  key: v.key,
  description: v.description,
  format: v.format,
  placeholders: v.placeholders.map((name: Placeholder) => ({ name, ...placeholders[name] })),
  texts: v.texts.map((t) => ({ ...t, updatedAt: iso(t.updatedAt) })),
});

const renderedSchema = z
  .object({
    key: keySchema,
    locale: z.string().describe('The locale whose text was used'),
    format: z.enum(['text', 'html']),
    source: z.enum(['override', 'default']),
    text: z.string(),
  })
  .describe('RenderedTemplate');

export function registerTemplateRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  const one = async (workspaceId: number, key: (typeof templateKeys)[number]) =>
    present(viewOf(key, await listOverrides(deps.db, workspaceId, key)));

  r.get(
    '/templates',
    {
      config: { action: 'templates.read' },
      schema: {
        tags,
        summary: 'Every customer-facing text, with its wording per locale',
        response: {
          200: z.object({
            defaultLocale: z.string().describe("The workspace's locale (settings.locale), else en"),
            shippedLocales: z.array(z.string()),
            items: z.array(templateSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const [overrides, workspace] = await Promise.all([
        listOverrides(deps.db, ws),
        findWorkspaceById(deps.db, ws),
      ]);
      return {
        defaultLocale: normalizeLocale(workspace?.settings.locale) ?? 'en',
        shippedLocales: [...shippedLocales],
        items: templateKeys.map((key) => present(viewOf(key, overrides))),
      };
    },
  );

  r.get(
    '/templates/:key',
    {
      config: { action: 'templates.read' },
      schema: {
        tags,
        summary: 'One customer-facing text',
        params: keyParams,
        response: { 200: templateSchema, ...commonErrors },
      },
    },
    async (request) => one(principalOf(request).workspaceId, request.params.key),
  );

  r.put(
    '/templates/:key/:locale',
    {
      config: { action: 'templates.admin' },
      schema: {
        tags,
        summary: "The workspace's own wording of a text for one locale",
        description:
          'The text must parse (mustache) and use only the placeholders of its key; 422 INVALID_TEMPLATE lists what is wrong.',
        params: localeParams,
        body: z.strictObject({ text: z.string().min(1).max(MAX_TEMPLATE) }),
        response: { 200: templateSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      unwrap(
        await overrideTemplate(deps, p.workspaceId, actor(p), { ...request.params, text: request.body.text }),
      );
      return one(p.workspaceId, request.params.key);
    },
  );

  r.delete(
    '/templates/:key/:locale',
    {
      config: { action: 'templates.admin' },
      schema: {
        tags,
        summary: "Back to Steward's default wording for that locale",
        params: localeParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await resetTemplate(deps, p.workspaceId, actor(p), request.params.key, request.params.locale));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/templates/:key/preview',
    {
      config: { action: 'templates.admin' },
      schema: {
        tags,
        summary: 'Render a text as a customer would get it (or a draft), with example values',
        params: keyParams,
        body: z.strictObject({
          customerLocale: locale.optional().describe("The customer's locale; the fallback chain applies"),
          text: z.string().min(1).max(MAX_TEMPLATE).optional().describe('A draft to check and render'),
          values: z
            .partialRecord(
              z.enum(Object.keys(placeholders) as [Placeholder, ...Placeholder[]]),
              z.string().max(2000),
            )
            .optional()
            .describe('Values instead of the examples'),
        }),
        response: { 200: renderedSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return unwrap(await previewTemplate(deps.db, p.workspaceId, request.params.key, request.body));
    },
  );
}
