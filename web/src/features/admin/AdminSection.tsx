import type { ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { can, useSession } from '../session/session';
import { type AdminAreaPath, adminAreas } from './access';
import { AuthorityPage } from './authority/AuthorityPage';
import { BridgesPage } from './bridges/BridgesPage';
import { CalendarsSection } from './calendars/CalendarsSection';
import { ChatWidgetsPage } from './chat/ChatWidgetsPage';
import { DataPage } from './data/DataPage';
import { MailboxesPage } from './email/MailboxesPage';
import { ContactFormsPage } from './forms/ContactFormsPage';
import { MacrosPage } from './macros/MacrosPage';
import { EscalationPage } from './matters/EscalationPage';
import { PeoplePage } from './PeoplePages';
import { ReasonsPage } from './reasons/ReasonsPage';
import { SlaPoliciesPage } from './sla/SlaPoliciesPage';
import { FollowUpPage } from './surveys/FollowUpPage';
import { TokensPage } from './TokensPage';
import { TeamsPage } from './teams/TeamsPage';
import { TemplatesSection } from './templates/TemplatesSection';
import { WebhooksSection } from './webhooks/WebhooksSection';
import './admin.css';

const pages: Record<AdminAreaPath, ReactNode> = {
  people: <PeoplePage />,
  teams: <TeamsPage />,
  tokens: <TokensPage />,
  email: <MailboxesPage />,
  bridges: <BridgesPage />,
  calendars: <CalendarsSection />,
  sla: <SlaPoliciesPage />,
  'follow-up': <FollowUpPage />,
  escalation: <EscalationPage />,
  authority: <AuthorityPage />,
  reasons: <ReasonsPage />,
  templates: <TemplatesSection />,
  macros: <MacrosPage />,
  forms: <ContactFormsPage />,
  webhooks: <WebhooksSection />,
  chat: <ChatWidgetsPage />,
  data: <DataPage />,
};

/** Each block of the workspace's setup, where an admin would look for it; shown to whoever may change it. */
export default function AdminSection() {
  const session = useSession();
  const mine = adminAreas.filter((a) => can(session, a.permission));
  if (mine.length === 0)
    return (
      <div className="page">
        <h1>Admin</h1>
        <p className="empty">
          Your role does not let you change the workspace's setup. Ask an admin of your workspace.{' '}
          <Link to="/">Go to the inbox</Link>.
        </p>
      </div>
    );
  return (
    <div className="admin-layout">
      <nav aria-label="Admin" className="subnav">
        <p className="subnav-title" aria-hidden="true">
          Admin
        </p>
        <ul>
          {mine.map((a) => (
            <li key={a.path}>
              <NavLink to={`/admin/${a.path}`} className={({ isActive }) => (isActive ? 'active' : '')}>
                {a.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-content">
        <Routes>
          <Route index element={<Navigate to={`/admin/${mine[0]!.path}`} replace />} />
          {mine.map((a) => (
            <Route key={a.path} path={`${a.path}/*`} element={pages[a.path]} />
          ))}
          <Route
            path="*"
            element={
              <div className="empty">
                <h1>This admin page does not exist, or your role cannot open it</h1>
                <p>
                  <Link to="/admin">Go to the admin pages you can use</Link>.
                </p>
              </div>
            }
          />
        </Routes>
      </div>
    </div>
  );
}
