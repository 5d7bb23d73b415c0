/**
 * The admin section's calls and the shapes of their answers (see /api/v1/openapi.json): calendars, departments
 * and contact reasons, customer templates, webhooks, workspace exports and erasure. Only the admin section
 * (lazy-loaded) imports this file, so agents never download it.
 */
import { ApiError, api, qs } from './client';
import type { ApiToken, Role } from './types';

export type Interval = { start: string; end: string };
/** ISO weekday "1" (Monday) … "7" (Sunday) → open intervals. */
export type Week = Record<string, Interval[]>;
export type Holiday = { date: string; yearly?: boolean; name?: string };

export type Calendar = {
  id: number;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  week: Week;
  holidays: Holiday[];
  isDefault: boolean;
  teamIds: number[];
  createdAt: string;
  updatedAt: string;
};
export type CalendarInput = Pick<
  Calendar,
  'name' | 'timeZone' | 'alwaysOpen' | 'week' | 'holidays' | 'isDefault'
>;
export type CalendarPreview = {
  calendarId: number;
  from: string;
  minutes: number;
  due: string;
  openAtFrom: boolean;
  nextOpen: string;
};
export type Team = {
  id: number;
  name: string;
  leadId: number | null;
  isVendor: boolean;
  memberIds: number[];
};

export const calendarsApi = {
  list: () => api<{ items: Calendar[] }>('GET', '/calendars'),
  get: (id: number) => api<Calendar>('GET', `/calendars/${id}`),
  create: (body: CalendarInput) => api<Calendar>('POST', '/calendars', body),
  update: (id: number, body: Partial<CalendarInput>) => api<Calendar>('PATCH', `/calendars/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/calendars/${id}`),
  preview: (id: number, minutes: number) =>
    api<CalendarPreview>('GET', `/calendars/${id}/preview${qs({ minutes })}`),
  teams: () => api<{ items: Team[] }>('GET', '/teams'),
  setTeamCalendar: (teamId: number, calendarId: number | null) =>
    api<unknown>('PUT', `/teams/${teamId}/calendar`, { calendarId }),
};

export type Department = {
  id: number;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
};
export type ContactReason = {
  id: number;
  name: string;
  description: string;
  parentId: number | null;
  departmentId: number | null;
  avoidable: boolean;
  status: 'active' | 'archived';
  path: string[];
  pathText: string;
  childIds: number[];
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
};
export type ReasonInput = {
  name?: string;
  description?: string;
  parentId?: number | null;
  departmentId?: number | null;
  avoidable?: boolean;
  status?: 'active' | 'archived';
};
export type TaxonomyImport = {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  departmentsCreated: string[];
  rows: Array<{ row: number | null; path: string; outcome: 'created' | 'updated' | 'unchanged' }>;
};
export type CsvRowError = { row: number; column?: string; message: string };

export const reasonsApi = {
  departments: () => api<{ items: Department[] }>('GET', '/departments'),
  createDepartment: (body: { name: string; description?: string }) =>
    api<Department>('POST', '/departments', body),
  updateDepartment: (id: number, body: { name?: string; description?: string }) =>
    api<Department>('PATCH', `/departments/${id}`, body),
  removeDepartment: (id: number) => api<void>('DELETE', `/departments/${id}`),
  list: () => api<{ items: ContactReason[] }>('GET', '/contact-reasons'),
  create: (body: ReasonInput & { name: string }) => api<ContactReason>('POST', '/contact-reasons', body),
  update: (id: number, body: ReasonInput) => api<ContactReason>('PATCH', `/contact-reasons/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/contact-reasons/${id}`),
  importCsv: (csv: string, dryRun: boolean) =>
    api<TaxonomyImport>('POST', '/contact-reasons/import', { csv, dryRun }),
  exportUrl: (bom: boolean) => `/api/v1/contact-reasons/export${bom ? '?bom=true' : ''}`,
};

export type TemplatePlaceholder = { name: string; description: string; example: string };
export type TemplateText = {
  locale: string;
  text: string;
  default: string | null;
  overridden: boolean;
  updatedAt: string | null;
};
export type CustomerTemplate = {
  key: string;
  description: string;
  format: 'text' | 'html';
  placeholders: TemplatePlaceholder[];
  texts: TemplateText[];
};
export type RenderedTemplate = {
  key: string;
  locale: string;
  format: 'text' | 'html';
  source: 'override' | 'default';
  text: string;
};

const enc = encodeURIComponent;
export const templatesApi = {
  list: () =>
    api<{ defaultLocale: string; shippedLocales: string[]; items: CustomerTemplate[] }>('GET', '/templates'),
  get: (key: string) => api<CustomerTemplate>('GET', `/templates/${enc(key)}`),
  save: (key: string, locale: string, text: string) =>
    api<CustomerTemplate>('PUT', `/templates/${enc(key)}/${enc(locale)}`, { text }),
  reset: (key: string, locale: string) => api<void>('DELETE', `/templates/${enc(key)}/${enc(locale)}`),
  preview: (key: string, body: { customerLocale?: string; text?: string; values?: Record<string, string> }) =>
    api<RenderedTemplate>('POST', `/templates/${enc(key)}/preview`, body),
};

export type Webhook = {
  id: number;
  name: string;
  description: string | null;
  url: string;
  eventTypes: string[];
  status: 'active' | 'paused';
  pausedReason: string | null;
  pausedAt: string | null;
  ownerId: number;
  consecutiveFailures: number;
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
};
export type WebhookInput = { name: string; url: string; eventTypes: string[]; description?: string | null };
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';
export type Delivery = {
  id: number;
  webhookId: number | null;
  eventId: number | null;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  completedAt: string | null;
};
export type Attempt = {
  id: number;
  url: string;
  manual: boolean;
  requestedAt: string;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
};

export const webhooksApi = {
  list: () => api<{ items: Webhook[] }>('GET', '/webhooks'),
  get: (id: number) => api<Webhook>('GET', `/webhooks/${id}`),
  create: (body: WebhookInput) => api<{ webhook: Webhook; secret: string }>('POST', '/webhooks', body),
  update: (id: number, body: Partial<WebhookInput>) => api<Webhook>('PATCH', `/webhooks/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/webhooks/${id}`),
  pause: (id: number, reason?: string) =>
    api<Webhook>('POST', `/webhooks/${id}/pause`, reason ? { reason } : {}),
  resume: (id: number) => api<Webhook>('POST', `/webhooks/${id}/resume`),
  rotate: (id: number) => api<{ webhook: Webhook; secret: string }>('POST', `/webhooks/${id}/rotate-secret`),
  test: (id: number) => api<Delivery>('POST', `/webhooks/${id}/test`),
  deliveries: (id: number, params: { status?: DeliveryStatus; cursor?: string | null; limit?: number }) =>
    api<{ items: Delivery[]; nextCursor: string | null }>(
      'GET',
      `/webhooks/${id}/deliveries${qs({ status: params.status, cursor: params.cursor, limit: params.limit })}`,
    ),
  delivery: (id: number, deliveryId: number) =>
    api<{ delivery: Delivery & { body: string }; attempts: Attempt[] }>(
      'GET',
      `/webhooks/${id}/deliveries/${deliveryId}`,
    ),
  redeliver: (id: number, deliveryId: number) =>
    api<Delivery>('POST', `/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
};

export type WorkspaceExport = {
  id: number;
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired';
  rowsDone: number;
  rowsTotal: number;
  size: number | null;
  sha256: string | null;
  error: string | null;
  requestedById: number;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
};
export const erasureReasons = ['subject_request', 'retention_policy', 'legal_obligation', 'other'] as const;
export type ErasureReason = (typeof erasureReasons)[number];
export type Erasure = {
  customerId: number;
  customers: number;
  identities: number;
  conversations: number;
  messages: number;
  attachments: number;
};

export const dataApi = {
  exports: () => api<{ items: WorkspaceExport[] }>('GET', '/exports'),
  start: () => api<{ export: WorkspaceExport }>('POST', '/exports', {}),
  downloadUrl: (id: number) => `/api/v1/exports/${id}/download`,
  erase: (customerId: number, reason: ErasureReason) =>
    api<{ erasure: Erasure }>('POST', `/customers/${customerId}/erase`, { reason }),
};

/** The problems a 422 lists (`details.problems`), or a 400's field issues, else none. */
export function problemsOf(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const d = error.details as { problems?: unknown; issues?: unknown } | null | undefined;
  if (Array.isArray(d?.problems)) return d.problems.map(String);
  if (Array.isArray(d?.issues))
    return (d.issues as Array<{ path?: string; message?: string }>).map((i) =>
      i.path ? `${i.path}: ${i.message ?? 'invalid'}` : (i.message ?? 'invalid'),
    );
  return [];
}

/** The bad rows of a CSV import (`422 CSV_ROWS_INVALID`, `details.errors`), else none. */
export function csvErrorsOf(error: unknown): CsvRowError[] {
  if (!(error instanceof ApiError)) return [];
  const d = error.details as { errors?: unknown } | null | undefined;
  return Array.isArray(d?.errors) ? (d.errors as CsvRowError[]) : [];
}

export type Invitation = {
  id: number;
  personId: number;
  email: string;
  name: string;
  role: Role;
  invitedById: number | null;
  createdAt: string;
  sentAt: string;
  expiresAt: string;
  expired: boolean;
};
/** `link`: Steward cannot send e-mail; the admin passes the link on (shown once). */
export type InvitationSent = { invitation: Invitation; delivery: 'email' | 'link'; link?: string };

export const invitationsApi = {
  list: () => api<{ items: Invitation[]; canSendEmail: boolean }>('GET', '/invitations'),
  create: (body: { email: string; name: string; role: Role; teamIds: number[] }) =>
    api<InvitationSent>('POST', '/invitations', body),
  resend: (id: number) => api<InvitationSent>('POST', `/invitations/${id}/resend`),
  revoke: (id: number) => api<void>('DELETE', `/invitations/${id}`),
};

export type TokenScope = { scope: string; permissions: string[]; usable: boolean };
export const tokensApi = {
  scopes: () => api<{ items: TokenScope[] }>('GET', '/tokens/scopes'),
  create: (body: { name: string; scopes: string[]; expiresAt?: string }) =>
    api<{ token: ApiToken; value: string }>('POST', '/tokens', body),
};
