export {
  countWorkspaces,
  findOldestWorkspace,
  findWorkspaceById,
  findWorkspaceBySlug,
  insertWorkspace,
  type Workspace,
} from './workspaces.repo.js';
export { presentWorkspace, registerWorkspaceRoutes, workspaceSchema } from './workspaces.routes.js';
