export {
  type Customer,
  type CustomerIdentity,
  type CustomerSummary,
  customerSummaryJoin,
  customerTiers,
  ERASED_NAME,
  eraseCustomerRecords,
  findCustomer,
  findCustomerForIntake,
  findCustomerIncludingMerged,
  insertCustomer,
  lockCustomer,
  markCustomerMerged,
} from './customers.repo.js';
export { registerCustomerRoutes } from './customers.routes.js';
export { customerSchema, identitySchema, presentCustomer, presentIdentity } from './customers.schemas.js';
export { type CustomerHit, searchCustomers } from './customers.search.js';
export { addIdentityDuringIntake, customerNotFound, readCustomer } from './customers.service.js';
export { findOrCreateCustomerByIdentity } from './find-or-create.js';
export { type IdentityKind, identityKinds, normalizeIdentity, normalizePhone } from './identities.js';
export { findIdentityByValue, listIdentities, moveIdentities } from './identities.repo.js';
