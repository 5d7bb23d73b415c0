export { ACCOUNT_MAIL_JOB, accountMailJobHandlers } from './account-mail.js';
export { CSRF_HEADER, registerAuth, SESSION_COOKIE } from './auth.hook.js';
export { registerAvailabilityRoutes } from './availability.routes.js';
export { registerInvitationRoutes } from './invitations.routes.js';
export { registerPasswordResetRoutes } from './password-reset.routes.js';
export { generatePassword, hashPassword } from './passwords.js';
export { findPerson, type Person } from './people.repo.js';
export { registerPeopleRoutes } from './people.routes.js';
export { personSchema, presentPerson } from './people.schemas.js';
export {
  allPermissions,
  type Permission,
  permissionGroups,
  type Role,
  roleCan,
  roleMatrix,
  roles,
  tokenPermissions,
} from './permissions.js';
export { registerSessionRoutes } from './session.routes.js';
export { registerSetupRoutes } from './setup.routes.js';
export {
  type CreatedWorkspace,
  createWorkspaceWithOwner,
  ensureFirstWorkspace,
  type FirstStart,
  setUpFirstWorkspace,
  slugFromName,
} from './setup.service.js';
export {
  findTeam,
  someoneOnline,
  type Team,
  type TeamMemberForRouting,
  teamMemberIds,
  teamMembersForRouting,
  teamsOfPerson,
} from './teams.repo.js';
export { registerTeamRoutes } from './teams.routes.js';
export { registerTokenRoutes } from './tokens.routes.js';
export { createToken } from './tokens.service.js';
