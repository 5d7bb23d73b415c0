import type { FastifyInstance } from 'fastify';
import type { Deps, JobHandler } from '../../platform/index.js';
import { registerActivityRoutes } from './activity.routes.js';
import { AUTO_CLOSE_JOB, autoCloseHandler } from './auto-close.js';
import { registerCallRoutes } from './calls.routes.js';
import { registerConversationCoreRoutes } from './conversations.routes.js';
import { registerCustomerConversationRoutes } from './customer-conversations.routes.js';
import { registerInboxRoutes } from './inbox.routes.js';
import { registerMergeSplitRoutes } from './merge-split.routes.js';
import { registerMessageRoutes } from './messages.routes.js';
import { registerSavedViewRoutes } from './saved-views.routes.js';

export { type AddedMessage, addMessage, type NewMessage } from './add-message.service.js';
export {
  OPEN_WORK,
  openWorkload,
  QUEUED,
  type QueuedConversation,
  unassignedQueue,
  type Workload,
} from './assignment.repo.js';
export { assignFromQueue, claimConversation, type RoutingReason } from './assignment.service.js';
export { AUTO_CLOSE_JOB, autoCloseKey } from './auto-close.js';
export {
  NONE_FITS,
  type ReasonChoice,
  type ReasonSetter,
  setContactReason,
  setContactReasonIn,
} from './contact-reason.service.js';
export { setConversationDistress } from './conversation-distress.js';
export {
  type Conversation,
  type DeadlineSubject,
  findConversation,
  findDeadlineSubjects,
  findOpenConversationOn,
  listConversationIds,
  splitConversationIds,
} from './conversations.repo.js';
export {
  conversationSchema,
  messageSchema,
  presentConversation,
  presentMessage,
} from './conversations.schemas.js';
export {
  type CreatedConversation,
  type CustomerRef,
  createConversation,
  type NewConversation,
} from './create-conversation.service.js';
export { recordDelivery } from './delivery.js';
export { ERASED_TEXT, eraseCustomerContent } from './erase-content.js';
export { listConversations } from './inbox-list.repo.js';
export { type MergeOutcome, mergeCustomers } from './merge-customers.service.js';
export { type MessageHit, type MessageSearchFilter, searchMessages } from './message-search.repo.js';
export { deliveringChannels } from './message-writes.js';
export {
  type DeliveryOutcome,
  findConversationByThreadIndex,
  findMessage,
  findMessageByExternalId,
  findMessagesByExternalIds,
  lastInboundEmail,
  lastInboundOn,
  listMessages,
  type StoredMessage,
} from './messages.repo.js';
export { type Caller, callerOf } from './references.js';
export { requireConversation } from './require-conversation.js';
export { setSlaDeadline, setSlaDeadlines } from './sla-deadline.js';
export {
  type ConversationEvent,
  checkTransition,
  type Decision,
  decide,
  initialFacts,
  type StatusFacts,
} from './status-rules.js';
export { type ConversationPatch, changeConversation } from './update-conversation.service.js';

export function registerConversationRoutes(app: FastifyInstance, deps: Deps): void {
  registerConversationCoreRoutes(app, deps);
  registerInboxRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerCustomerConversationRoutes(app, deps);
  registerSavedViewRoutes(app, deps);
  registerActivityRoutes(app, deps);
  registerMergeSplitRoutes(app, deps);
  registerCallRoutes(app, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export const conversationJobHandlers: Record<string, JobHandler> = {
  [AUTO_CLOSE_JOB]: autoCloseHandler,
};
