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
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { contentDisposition } from '../attachments/index.js';
import { findExport, listExports, type WorkspaceExport } from './export.repo.js';
import { openExportDownload, requestExport } from './export.service.js';

const exportSchema = z
  .object({
    id: z.number(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'expired']),
    rowsDone: z.number(),
    rowsTotal: z
      .number()
      .describe(
        'Counted exactly when the export started in a small workspace, else the database planner’s estimate; never below rowsDone, and the rows written once done',
      ),
    size: z.number().nullable(),
    sha256: z.string().nullable(),
    error: z.string().nullable(),
    requestedById: z.number(),
    createdAt: isoTime,
    finishedAt: isoTime.nullable(),
    expiresAt: isoTime,
  })
  .describe('WorkspaceExport');

const present = (x: WorkspaceExport) => ({
  id: x.id,
  status: x.status,
  rowsDone: x.rowsDone,
  rowsTotal: x.rowsTotal,
  size: x.size,
  sha256: x.sha256,
  error: x.error,
  requestedById: x.requestedById,
  createdAt: iso(x.createdAt)!,
  finishedAt: iso(x.finishedAt),
  expiresAt: iso(x.expiresAt)!,
});

export function registerExportRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { action: 'datacare.export' };

  r.post(
    '/exports',
    {
      config,
      schema: {
        tags: ['data care'],
        summary: 'Export the whole workspace (a job); follow its progress at /exports/{id}',
        body: z.strictObject({}).optional(),
        response: { 202: z.object({ export: exportSchema }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = unwrap(await requestExport(deps, p.workspaceId, p.personId));
      return reply.status(202).send({ export: present(row) });
    },
  );

  r.get(
    '/exports',
    {
      config,
      schema: {
        tags: ['data care'],
        summary: 'The latest exports of the workspace',
        response: { 200: z.object({ items: z.array(exportSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listExports(deps.db, principalOf(request).workspaceId, 50)).map(present),
    }),
  );

  r.get(
    '/exports/:id',
    {
      config,
      schema: {
        tags: ['data care'],
        summary: 'An export and its progress',
        params: idParam,
        response: { 200: z.object({ export: exportSchema }), ...commonErrors },
      },
    },
    async (request) => {
      const row = await findExport(deps.db, principalOf(request).workspaceId, request.params.id);
      if (!row) throw new HttpError('EXPORT_NOT_FOUND', 'Export not found');
      return { export: present(row) };
    },
  );

  r.get(
    '/exports/:id/download',
    {
      config,
      schema: {
        tags: ['data care'],
        summary: 'Download a finished export (a zip; format in docs/EXPORT.md)',
        params: idParam,
        response: { 200: z.any().describe('application/zip'), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { export: row, content } = unwrap(
        await openExportDownload(deps, p.workspaceId, request.params.id),
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', String(row.size))
        .header('content-disposition', contentDisposition('attachment', `steward-export-${row.id}.zip`))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(content);
    },
  );
}
