import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import { deliverJob } from './deliver.job.js';
import { DELIVER_JOB } from './deliveries.js';
import { webhooksConsumer } from './webhooks.consumer.js';

export {
  DEFAULT_MAX_ATTEMPTS,
  DELIVER_JOB,
  type Envelope,
  enqueueSignedCall,
  type SignedCallInput,
} from './deliveries.js';
export { matchesEventType } from './event-types.js';
export { signatureHeader } from './signature.js';
export { checkWebhookUrl, classifyAddress } from './url-policy.js';
export { type Attempt, type Delivery, findDelivery, listAttempts } from './webhooks.repo.js';
export { registerWebhookRoutes } from './webhooks.routes.js';

export const webhookJobHandlers = (deps: Pick<Deps, 'db' | 'settings'>): Record<string, JobHandler> => ({
  [DELIVER_JOB]: deliverJob(deps),
});

export const webhookEventConsumers: Record<string, EventConsumer> = { webhooks: webhooksConsumer };
