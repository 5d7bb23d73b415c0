import { z } from 'zod';
import { iso, isoTime } from '../../platform/index.js';
import type { ContactForm } from './forms.repo.js';

/** An origin as browsers send it: scheme, host and port, nothing else. */
const origin = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'An origin is scheme://host[:port] with nothing after it, such as https://www.example.com');

export const formFields = {
  name: z.string().trim().min(1).max(120),
  intro: z.string().trim().max(2000).describe('A short text shown above the form (plain text)'),
  teamId: z.number().int().positive().nullable().describe('New conversations go to this team'),
  askPhone: z.boolean().describe('Show an optional phone field'),
  allowAttachments: z.boolean().describe('Let customers attach files'),
  allowedOrigins: z
    .array(origin)
    .max(20)
    .describe('Sites that may embed the form (frame it, or post to it from their pages)'),
  active: z.boolean().describe('A form switched off answers 404'),
};

export const newFormBody = z.strictObject({
  name: formFields.name,
  intro: formFields.intro.default(''),
  teamId: formFields.teamId.default(null),
  askPhone: formFields.askPhone.default(false),
  allowAttachments: formFields.allowAttachments.default(true),
  allowedOrigins: formFields.allowedOrigins.default([]),
  active: formFields.active.default(true),
});

export const formPatchBody = z.strictObject({
  name: formFields.name.optional(),
  intro: formFields.intro.optional(),
  teamId: formFields.teamId.optional(),
  askPhone: formFields.askPhone.optional(),
  allowAttachments: formFields.allowAttachments.optional(),
  allowedOrigins: formFields.allowedOrigins.optional(),
  active: formFields.active.optional(),
});

export const contactFormSchema = z
  .object({
    id: z.number(),
    publicKey: z.string(),
    name: z.string(),
    intro: z.string(),
    teamId: z.number().nullable(),
    askPhone: z.boolean(),
    allowAttachments: z.boolean(),
    allowedOrigins: z.array(z.string()),
    active: z.boolean(),
    path: z.string().describe("The hosted form's path on Steward: /forms/<publicKey>"),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('ContactForm');

export const presentForm = (f: ContactForm): z.infer<typeof contactFormSchema> => ({
  id: f.id,
  publicKey: f.publicKey,
  name: f.name,
  intro: f.intro,
  teamId: f.teamId,
  askPhone: f.askPhone,
  allowAttachments: f.allowAttachments,
  allowedOrigins: f.allowedOrigins,
  active: f.active,
  path: `/forms/${f.publicKey}`,
  createdAt: iso(f.createdAt)!,
  updatedAt: iso(f.updatedAt)!,
});
