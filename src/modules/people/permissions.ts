/**
 * The one role x permission matrix. Every /api/v1 route names the permission it needs (`config.action`);
 * the auth hook checks it. README.md prints this same table; `permissions.test.ts` keeps them in step.
 */
export const roles = ['agent', 'lead', 'manager', 'admin', 'executive'] as const;
export type Role = (typeof roles)[number];

export const permissionGroups = {
  /** One's own session, password, notifications and their preferences: reading them, and changing them. */
  profile: ['profile.read', 'profile.write'],
  workspace: ['workspace.read', 'workspace.admin'],
  people: ['people.read', 'people.admin'],
  teams: ['teams.read', 'teams.admin'],
  tokens: ['tokens.own', 'tokens.admin'],
  customers: ['customers.read', 'customers.write', 'customers.merge'],
  conversations: ['conversations.read', 'conversations.write', 'conversations.reassign'],
  /** Canned replies: reading and using them, one's own (`write`), and the workspace's shared ones (`admin`). */
  macros: ['macros.read', 'macros.write', 'macros.admin'],
  /** Saved inbox views: one's own (`write`), and the workspace's shared ones (`admin`). */
  views: ['views.write', 'views.admin'],
  calendars: ['calendars.read', 'calendars.admin'],
  /** SLA policies: everyone who works conversations reads them; admins keep them. */
  sla: ['sla.read', 'sla.admin'],
  reasons: ['reasons.read', 'reasons.admin'],
  templates: ['templates.read', 'templates.admin'],
  approvals: ['approvals.approve'],
  events: ['events.read'],
  analytics: ['analytics.read'],
  webhooks: ['webhooks.admin'],
  /** Workspace exports and GDPR erasure: the workspace's admins only. */
  datacare: ['datacare.export', 'datacare.erase'],
} as const;

export type PermissionGroup = keyof typeof permissionGroups;
export type Permission = (typeof permissionGroups)[PermissionGroup][number];
export const allPermissions = Object.values(permissionGroups).flat() as Permission[];

const agent: Permission[] = [
  'profile.read',
  'profile.write',
  'workspace.read',
  'people.read',
  'teams.read',
  'tokens.own',
  'customers.read',
  'customers.write',
  'customers.merge',
  'conversations.read',
  'conversations.write',
  'macros.read',
  'macros.write',
  'views.write',
  'calendars.read',
  'sla.read',
  'reasons.read',
  'templates.read',
];
/** A lead can do what an agent can, plus approve, reassign (to anyone) and keep the team's shared macros. */
const lead: Permission[] = [
  ...agent,
  'conversations.reassign',
  'macros.admin',
  'views.admin',
  'approvals.approve',
  'analytics.read',
];
/** Managers run the root-cause ledger, so they keep the contact-reason taxonomy and its departments. */
const manager: Permission[] = [...lead, 'teams.admin', 'events.read', 'reasons.admin'];
/** Executives read analytics and everything an agent can see, and change nothing but their own password. */
const executive: Permission[] = [
  'profile.read',
  'profile.write',
  'workspace.read',
  'people.read',
  'teams.read',
  'customers.read',
  'conversations.read',
  'calendars.read',
  'sla.read',
  'reasons.read',
  'templates.read',
  'analytics.read',
];

export const roleMatrix: Record<Role, ReadonlySet<Permission>> = {
  agent: new Set(agent),
  lead: new Set(lead),
  manager: new Set(manager),
  admin: new Set(allPermissions),
  executive: new Set(executive),
};

export function roleCan(role: Role, permission: string): boolean {
  return roleMatrix[role].has(permission as Permission);
}

/**
 * Token scopes: `<group>:read` grants the group's `.read` permission; `<group>:write` grants all of the
 * group's permissions; `all:read` / `all:write` do that for every group.
 */
const groupNames = Object.keys(permissionGroups) as PermissionGroup[];
/** The scopes that can grant something: `<group>:read` where the group has a read permission, `<group>:write` where it has another. */
export const validScopes: readonly string[] = [
  'all:read',
  'all:write',
  ...groupNames.flatMap((g) => {
    const perms: readonly string[] = permissionGroups[g];
    return [
      ...(perms.some((p) => p.endsWith('.read')) ? [`${g}:read`] : []),
      ...(perms.some((p) => !p.endsWith('.read')) ? [`${g}:write`] : []),
    ];
  }),
];
export const scopePattern = new RegExp(`^(${validScopes.join('|')})$`);

export function permissionsOfScope(scope: string): Permission[] {
  if (!scopePattern.test(scope)) return [];
  const [group, access] = scope.split(':') as [string, 'read' | 'write'];
  const groups = group === 'all' ? groupNames : [group as PermissionGroup];
  return groups.flatMap((g) =>
    access === 'write' ? [...permissionGroups[g]] : permissionGroups[g].filter((p) => p.endsWith('.read')),
  );
}

/** A token is never stronger than its creator: what both the role and the scopes allow. */
export function tokenPermissions(role: Role, scopes: readonly string[]): Set<Permission> {
  const granted = new Set(scopes.flatMap(permissionsOfScope));
  return new Set([...roleMatrix[role]].filter((p) => granted.has(p)));
}

/**
 * A scope the role can't use is refused at creation rather than silently cut down: a write scope needs a
 * role that can write something in that group, a read scope one that can read it. `all:*` is always allowed
 * (it is cut down to the role).
 */
export function scopesBeyondRole(role: Role, scopes: readonly string[]): string[] {
  return scopes.filter((s) => {
    if (s.startsWith('all:')) return false;
    const wanted = permissionsOfScope(s).filter((p) => s.endsWith(':read') || !p.endsWith('.read'));
    return !wanted.some((p) => roleMatrix[role].has(p));
  });
}
