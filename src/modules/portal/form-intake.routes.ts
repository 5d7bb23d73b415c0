import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, errorSchema, HttpError, unwrap } from '../../platform/index.js';
import { MAX_ATTACHMENTS_PER_MESSAGE, storeAttachment } from '../attachments/index.js';
import type { ContactForm } from './forms.repo.js';
import { liveForm, submitForm } from './forms.service.js';

/** The field a person never sees (hidden off-screen) and a form-filling robot happily fills in. */
export const HONEYPOT_FIELD = 'website';
export const FORM_SUBMISSIONS_PER_MINUTE = 10;
export const MAX_FORM_FILES = 5;

const keyParam = z.strictObject({ key: z.string().min(1).max(100) });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const submissionFields = z.strictObject({
  submissionId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, 'A submission id is 8 to 100 letters, digits, - or _')
    .describe(
      'Generated once per filled-in form (the hosted page puts one in): a repeat makes no second conversation',
    ),
  name: z.string().trim().max(200).default(''),
  email: z.string().trim().max(254).pipe(z.email('Enter a valid e-mail address')),
  phone: optionalText(40),
  subject: optionalText(200),
  message: z.string().trim().min(1, 'Write a message').max(20_000),
  [HONEYPOT_FIELD]: z.string().max(2000).optional(),
  embed: z.string().max(5).optional(),
});

/** The multipart form, for the OpenAPI document (the handler reads the stream itself). */
const submissionBody = submissionFields
  .extend({ attachments: z.array(z.file()).max(MAX_FORM_FILES).optional() })
  .describe('multipart/form-data: the fields, and up to 5 files named `attachments`');

/** Steward's own origin: the public URL's when it is set, else the one the request came to. */
function ownOrigin(deps: Deps, request: FastifyRequest): string {
  return deps.settings.publicUrl
    ? new URL(deps.settings.publicUrl).origin
    : `${request.protocol}://${request.host}`;
}

/**
 * A browser names the page that posts in `Origin`: Steward's own page, or a site the form allows (the
 * embedded variant, which then gets CORS headers). Any other site is refused; a client without `Origin`
 * (curl, a server) is not a browser page and may post.
 */
function checkOrigin(deps: Deps, request: FastifyRequest, reply: FastifyReply, form: ContactForm): void {
  const origin = request.headers.origin;
  if (!origin || origin === ownOrigin(deps, request)) return;
  if (!form.allowedOrigins.includes(origin))
    throw new HttpError('FORBIDDEN', 'This site may not post to this form', { origin });
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'origin');
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

function multipartError(err: unknown, maxBytes: number): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE')
    return new HttpError('ATTACHMENT_TOO_LARGE', `A file is larger than the limit of ${maxBytes} bytes`, {
      maxBytes,
    });
  if (e.code === 'FST_FILES_LIMIT' || e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT')
    return new HttpError('VALIDATION_FAILED', `At most ${MAX_FORM_FILES} files and the form's fields`);
  return new HttpError(
    'MALFORMED_MULTIPART',
    `The multipart body is not valid: ${e.message ?? 'unreadable'}`,
  );
}

async function* guarded(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  try {
    yield* source;
  } catch (err) {
    throw multipartError(err, maxBytes);
  }
}

/**
 * Reads the form's parts as they stream in: fields into a record, files straight into the attachment store
 * (pending until the conversation's first message claims them). Once the honeypot is seen filled, files are
 * read away unstored; the hosted page puts the honeypot first. Files a robot sent before it are pending
 * uploads nobody claims, purged after a day.
 */
async function readSubmission(deps: Deps, request: FastifyRequest, form: ContactForm) {
  const maxBytes = deps.settings.attachmentMaxBytes;
  const fields: Record<string, string> = {};
  const attachmentIds: number[] = [];
  let trapped = false;
  try {
    const parts = request.parts({
      limits: { files: MAX_FORM_FILES, fields: 12, fieldSize: 100_000, parts: 20, fileSize: maxBytes + 1 },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : '';
        if (value.includes('\0'))
          throw new HttpError('VALIDATION_FAILED', 'Text may not contain NUL characters');
        fields[part.fieldname] = value;
        if (part.fieldname === HONEYPOT_FIELD && value.trim() !== '') trapped = true;
        continue;
      }
      // An empty file input still sends a part: no name, no bytes.
      if (trapped || !form.allowAttachments || part.fieldname !== 'attachments' || !part.filename) {
        await drain(part.file);
        continue;
      }
      const stored = await storeAttachment(deps, form.workspaceId, {
        filename: part.filename,
        claimedType: part.mimetype,
        source: guarded(part.file, maxBytes),
        uploadedById: null,
        actor: { type: 'system', id: null },
      });
      if (!stored.ok) part.file.resume();
      attachmentIds.push(unwrap(stored).id);
    }
  } catch (err) {
    throw multipartError(err, maxBytes);
  }
  return { fields, attachmentIds: attachmentIds.slice(0, MAX_ATTACHMENTS_PER_MESSAGE), trapped };
}

/** The public intake of contact forms (no sign-in; rate limited per address). */
export async function registerFormIntakeRoutes(api: FastifyInstance, deps: Deps): Promise<void> {
  await api.register(async (scope) => {
    await scope.register(multipart);
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const perAddress = { max: FORM_SUBMISSIONS_PER_MINUTE, timeWindow: '1 minute' };

    r.options(
      '/forms/:key/submissions',
      {
        config: { public: true, rateLimit: perAddress },
        schema: {
          tags: ['contact forms'],
          summary: "CORS preflight of a form post from one of the form's allowed origins",
          security: [],
          params: keyParam,
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        const form = await liveForm(deps, request.params.key);
        if (!form) throw new HttpError('CONTACT_FORM_NOT_FOUND', 'Contact form not found');
        checkOrigin(deps, request, reply, form);
        reply.header('access-control-allow-methods', 'POST');
        reply.header('access-control-allow-headers', 'content-type, accept');
        reply.header('access-control-max-age', '600');
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/forms/:key/submissions',
      {
        config: { public: true, rateLimit: perAddress },
        validatorCompiler: (route) =>
          route.httpPart === 'body'
            ? () => ({ value: undefined })
            : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
        schema: {
          tags: ['contact forms'],
          summary: 'Send a contact form (public): becomes a conversation on the webform channel',
          description:
            'multipart/form-data. Idempotent on `submissionId`: sent twice, one conversation. A browser page ' +
            "posting from another site must be one of the form's allowed origins (it then gets CORS headers). " +
            'A browser form post (Accept: text/html) is answered with a redirect to the hosted page saying ' +
            'thank you. Limited per address.',
          security: [],
          consumes: ['multipart/form-data'],
          params: keyParam,
          body: submissionBody,
          response: {
            202: z.object({ status: z.literal('received') }),
            303: z.null(),
            ...commonErrors,
            415: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const form = await liveForm(deps, request.params.key);
        if (!form) throw new HttpError('CONTACT_FORM_NOT_FOUND', 'Contact form not found');
        checkOrigin(deps, request, reply, form);
        if (!request.isMultipart())
          throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as multipart/form-data');
        const { fields, attachmentIds, trapped } = await readSubmission(deps, request, form);
        const parsed = submissionFields.safeParse(fields);
        if (!parsed.success)
          throw new HttpError('VALIDATION_FAILED', parsed.error.issues[0]?.message ?? 'Invalid form', {
            issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        // A filled honeypot: answered exactly like a real message, and nothing is stored.
        if (!trapped) {
          const locale = request.headers['accept-language']?.split(',')[0]?.split(';')[0]?.trim();
          unwrap(
            await submitForm(deps, form, {
              ...parsed.data,
              locale: locale && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) ? locale : undefined,
              attachmentIds,
            }),
          );
        }
        if ((request.headers.accept ?? '').includes('text/html')) {
          const embed = parsed.data.embed === '1' ? '&embed=1' : '';
          return reply.redirect(`/forms/${form.publicKey}?sent=1${embed}`, 303);
        }
        return reply.status(202).send({ status: 'received' as const });
      },
    );
  });
}
