import { api } from './client';

export type ContactForm = {
  id: number;
  publicKey: string;
  name: string;
  intro: string;
  teamId: number | null;
  askPhone: boolean;
  allowAttachments: boolean;
  allowedOrigins: string[];
  active: boolean;
  path: string;
  createdAt: string;
  updatedAt: string;
};

export type ContactFormInput = Partial<
  Omit<ContactForm, 'id' | 'publicKey' | 'path' | 'createdAt' | 'updatedAt'>
>;

export type Proposal = {
  id: number;
  conversationId: number;
  customerId: number;
  body: string;
  createdAt: string;
};

export const portalApi = {
  forms: () => api<{ items: ContactForm[] }>('GET', '/contact-forms'),
  createForm: (body: ContactFormInput) => api<ContactForm>('POST', '/contact-forms', body),
  updateForm: (id: number, body: ContactFormInput) => api<ContactForm>('PATCH', `/contact-forms/${id}`, body),
  deleteForm: (id: number) => api<null>('DELETE', `/contact-forms/${id}`),
  proposals: (conversationId: number) =>
    api<{ items: Proposal[] }>('GET', `/conversations/${conversationId}/proposals`),
};

/** The iframe that puts a hosted form on another site (that site must be one of the form's allowed origins). */
export const embedSnippet = (origin: string, form: Pick<ContactForm, 'path' | 'name'>) =>
  `<iframe src="${origin}${form.path}?embed=1" title="${form.name.replace(/"/g, '&quot;')}" style="width:100%;min-height:760px;border:0" loading="lazy"></iframe>`;
