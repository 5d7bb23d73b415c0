import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  errorSchema,
  HttpError,
  idParam,
  iso,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import type { Attachment } from './attachments.repo.js';
import { openAttachment, storeAttachment } from './attachments.service.js';
import { contentDisposition, dispositionOf, servedType } from './content-type.js';

export const attachmentSchema = z
  .object({
    id: z.number(),
    status: z.enum(['pending', 'attached', 'erased']),
    filename: z.string(),
    contentType: z.string().describe('Sniffed from the first bytes of the file, not what the sender said'),
    size: z.number(),
    sha256: z.string().nullable(),
    conversationId: z.number().nullable(),
    messageId: z.number().nullable(),
    createdAt: isoTime,
  })
  .describe('Attachment');

export const presentAttachment = (x: Attachment) => ({
  id: x.id,
  status: x.status,
  filename: x.filename,
  contentType: x.contentType,
  size: x.size,
  sha256: x.sha256,
  conversationId: x.conversationId,
  messageId: x.messageId,
  createdAt: iso(x.createdAt)!,
});

/** Errors of the multipart stream, as stable codes (the rest of the file is never stored). */
function multipartError(err: unknown, maxBytes: number): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE')
    return new HttpError('ATTACHMENT_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes`, {
      maxBytes,
    });
  return new HttpError(
    'MALFORMED_MULTIPART',
    `The multipart body is not valid: ${e.message ?? 'unreadable'}`,
  );
}

/** The file stream, with its failures turned into HTTP errors as they happen. */
async function* guarded(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  try {
    yield* source;
  } catch (err) {
    throw multipartError(err, maxBytes);
  }
}

/** The multipart form of an upload, for the OpenAPI document: one part named `file`. */
const uploadBody = z
  .object({ file: z.file().describe('The file (one part; its type is sniffed from the content)') })
  .describe('multipart/form-data');

export async function registerAttachmentRoutes(api: FastifyInstance, deps: Deps): Promise<void> {
  // Multipart only here: every other route keeps taking JSON alone.
  await api.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 1024, parts: 20 } });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/attachments',
      {
        config: { action: 'conversations.write' },
        // The body is a multipart stream the handler reads itself: `uploadBody` only describes it for the
        // OpenAPI document (the Zod compiler still validates the params and query of this route).
        validatorCompiler: (route) =>
          route.httpPart === 'body'
            ? () => ({ value: undefined })
            : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
        schema: {
          tags: ['attachments'],
          summary: 'Upload a file (multipart/form-data, one file part); attach it to a message by its id',
          description:
            'The file is streamed into storage, its type sniffed from its content and its SHA-256 recorded. ' +
            'It stays pending until a reply or note names it in `attachmentIds` (once); an upload never attached ' +
            'is deleted after a day. Too large: 413 ATTACHMENT_TOO_LARGE.',
          consumes: ['multipart/form-data'],
          body: uploadBody,
          response: { 201: z.object({ attachment: attachmentSchema }), ...commonErrors, 415: errorSchema },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const maxBytes = deps.settings.attachmentMaxBytes;
        if (!request.isMultipart())
          throw new HttpError(
            'UNSUPPORTED_MEDIA_TYPE',
            'Send the file as multipart/form-data with one file part',
          );
        let part: Awaited<ReturnType<typeof request.file>>;
        try {
          part = await request.file({
            limits: { files: 1, fields: 10, fieldSize: 1024, parts: 20, fileSize: maxBytes + 1 },
          });
        } catch (err) {
          throw multipartError(err, maxBytes);
        }
        if (!part) throw new HttpError('FILE_MISSING', 'The multipart body has no file part');
        const stored = await storeAttachment(deps, p.workspaceId, {
          filename: part.filename,
          claimedType: part.mimetype,
          source: guarded(part.file, maxBytes),
          uploadedById: p.personId,
          actor: { type: 'person', id: p.personId },
        });
        // Refused before its end: read the rest away so the client gets the answer, not a broken pipe.
        if (!stored.ok) part.file.resume();
        return reply.status(201).send({ attachment: presentAttachment(unwrap(stored)) });
      },
    );

    r.get(
      '/attachments/:id',
      {
        config: { action: 'conversations.read' },
        schema: {
          tags: ['attachments'],
          summary: 'Download an attachment (streamed)',
          description:
            'Served with the sniffed type and `X-Content-Type-Options: nosniff`. Raster images and plain text ' +
            'are `inline`; everything else (HTML, SVG, XML, PDF, unknown) is `attachment`, so it is ' +
            'downloaded rather than run. A pending upload is visible only to its uploader.',
          params: idParam,
          response: { 200: z.any().describe('The file content'), ...commonErrors },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const { attachment, content } = unwrap(
          await openAttachment(deps, p.workspaceId, request.params.id, p.personId),
        );
        return reply
          .header('content-type', servedType(attachment.contentType))
          .header('content-length', String(attachment.size))
          .header(
            'content-disposition',
            contentDisposition(dispositionOf(attachment.contentType), attachment.filename),
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
          .header('cache-control', 'private, no-cache')
          .send(content);
      },
    );
  });
}
