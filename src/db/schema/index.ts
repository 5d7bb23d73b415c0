export * from './attachments.js';
export * from './conversations.js';
export * from './customers.js';
export * from './datacare.js';
export * from './events.js';
export * from './people.js';
export * from './webhooks.js';
export * from './workspaces.js';
