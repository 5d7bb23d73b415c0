import type { Session } from '../../api/types';
import { can } from '../session/session';

/**
 * The admin pages and the permission each needs. Tiny on purpose: the top bar imports it to decide whether to
 * show "Admin", while the pages themselves load only when opened (React.lazy).
 */
export const adminAreas = [
  { path: 'people', label: 'People', permission: 'people.admin' },
  { path: 'teams', label: 'Teams', permission: 'teams.admin' },
  { path: 'tokens', label: 'API tokens', permission: 'tokens.admin' },
  { path: 'email', label: 'E-mail', permission: 'workspace.admin' },
  { path: 'bridges', label: 'Messaging bridges', permission: 'workspace.admin' },
  { path: 'calendars', label: 'Business hours', permission: 'calendars.admin' },
  { path: 'sla', label: 'SLA policies', permission: 'sla.admin' },
  { path: 'follow-up', label: 'Follow-up survey', permission: 'workspace.admin' },
  { path: 'escalation', label: 'Matters & escalation', permission: 'workspace.admin' },
  { path: 'authority', label: 'Front-line authority', permission: 'workspace.admin' },
  { path: 'reasons', label: 'Contact reasons', permission: 'reasons.admin' },
  { path: 'templates', label: 'Customer texts', permission: 'templates.admin' },
  { path: 'macros', label: 'Macros', permission: 'macros.admin' },
  { path: 'forms', label: 'Contact forms', permission: 'workspace.admin' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks.admin' },
  { path: 'chat', label: 'Live chat', permission: 'workspace.admin' },
  { path: 'data', label: 'Data', permission: 'datacare.export' },
] as const;

export type AdminAreaPath = (typeof adminAreas)[number]['path'];

export const canAdminister = (session: Session) => adminAreas.some((a) => can(session, a.permission));
