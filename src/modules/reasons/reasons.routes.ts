import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../../db/index.js';
import { commonErrors, type Deps, HttpError, idParam, principalOf, unwrap } from '../../platform/index.js';
import { listDepartments } from './departments.repo.js';
import { importTaxonomy } from './import-taxonomy.service.js';
import { type ContactReason, listReasons } from './reasons.repo.js';
import { contactReasonSchema, presentReason, reasonBody, statusSchema } from './reasons.schemas.js';
import { changeReason, createReason, removeReason } from './reasons.service.js';
import { exportTaxonomyCsv } from './reasons-csv.js';
import { byId, pathOf } from './taxonomy.js';

const tags = ['contact reasons'];
/** The largest CSV an import takes (characters); the request body is capped at 1 MiB as well. */
export const MAX_CSV_CHARS = 500_000;

/** Every reason with its path and children, in path order (a taxonomy is read whole). */
async function taxonomy(db: Executor, workspaceId: number) {
  const rows = await listReasons(db, workspaceId);
  const index = byId(rows);
  const children = new Map<number, number[]>();
  for (const r of rows)
    if (r.parentId !== null) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const view = (r: ContactReason) => presentReason(r, pathOf(index, r.id), children.get(r.id) ?? []);
  const sorted = rows
    .map(view)
    .sort((a, b) => a.pathText.toLowerCase().localeCompare(b.pathText.toLowerCase()) || a.id - b.id);
  return { view, sorted };
}

export function registerReasonRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  const presentOne = async (workspaceId: number, row: ContactReason) =>
    (await taxonomy(deps.db, workspaceId)).view(row);

  r.get(
    '/contact-reasons',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'The contact-reason taxonomy, in path order',
        querystring: z.strictObject({
          status: statusSchema.optional().describe('Only active (for pickers) or only archived reasons'),
        }),
        response: { 200: z.object({ items: z.array(contactReasonSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const { sorted } = await taxonomy(deps.db, principalOf(request).workspaceId);
      const status = request.query.status;
      return { items: status ? sorted.filter((x) => x.status === status) : sorted };
    },
  );

  r.post(
    '/contact-reasons',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Create a contact reason (or a group: a reason that gets sub-reasons)',
        body: z.strictObject(reasonBody),
        response: { 201: contactReasonSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = unwrap(await createReason(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send(await presentOne(p.workspaceId, row));
    },
  );

  r.get(
    '/contact-reasons/export',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'The taxonomy as CSV: id, path, description, department, avoidable, status',
        querystring: z.strictObject({
          bom: z
            .enum(['true', 'false'])
            .default('false')
            .describe('Start with a UTF-8 byte-order mark, so Excel reads umlauts right'),
        }),
        response: { 200: z.string().describe('text/csv'), ...commonErrors },
      },
    },
    async (request, reply) => {
      const ws = principalOf(request).workspaceId;
      const [reasons, departments] = await Promise.all([
        listReasons(deps.db, ws),
        listDepartments(deps.db, ws),
      ]);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="contact-reasons.csv"');
      return exportTaxonomyCsv(reasons, departments, { bom: request.query.bom === 'true' });
    },
  );

  r.post(
    '/contact-reasons/import',
    {
      config: { action: 'reasons.admin' },
      bodyLimit: 1_048_576,
      schema: {
        tags,
        summary: 'Import the taxonomy from CSV: all rows or none, matched by path',
        description:
          'Columns as the export writes them; only `path` is required. A file with a bad row changes nothing and answers 422 CSV_ROWS_INVALID with `details.errors` (row numbers as a spreadsheet shows them: the header is row 1). Importing the same file again changes nothing.',
        body: z.strictObject({
          csv: z.string().min(1).max(MAX_CSV_CHARS).describe('The CSV text (UTF-8; a BOM and CRLF are fine)'),
          dryRun: z.boolean().optional().describe('Check and report, change nothing'),
        }),
        response: {
          200: z
            .object({
              dryRun: z.boolean(),
              created: z.number(),
              updated: z.number(),
              unchanged: z.number(),
              departmentsCreated: z.array(z.string()),
              rows: z.array(
                z.object({
                  row: z.number().nullable().describe('null: a group the file named in a path only'),
                  path: z.string(),
                  outcome: z.enum(['created', 'updated', 'unchanged']),
                }),
              ),
            })
            .describe('TaxonomyImport'),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return unwrap(
        await importTaxonomy(deps, p.workspaceId, actor(p), request.body.csv, request.body.dryRun ?? false),
      );
    },
  );

  r.get(
    '/contact-reasons/:id',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'One contact reason',
        params: idParam,
        response: { 200: contactReasonSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const { sorted } = await taxonomy(deps.db, ws);
      const found = sorted.find((x) => x.id === request.params.id);
      if (!found) throw new HttpError('CONTACT_REASON_NOT_FOUND', 'Contact reason not found');
      return found;
    },
  );

  r.patch(
    '/contact-reasons/:id',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Rename, describe, move, re-own, mark avoidable, archive or restore a contact reason',
        params: idParam,
        body: z.strictObject({ ...reasonBody, name: reasonBody.name.optional() }),
        response: { 200: contactReasonSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const row = unwrap(await changeReason(deps, p.workspaceId, request.params.id, actor(p), request.body));
      return presentOne(p.workspaceId, row);
    },
  );

  r.delete(
    '/contact-reasons/:id',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Delete a contact reason nothing refers to (archive the others)',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeReason(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );
}
