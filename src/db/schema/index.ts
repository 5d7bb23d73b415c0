export * from './conversations.js';
export * from './customers.js';
export * from './events.js';
export * from './people.js';
export * from './webhooks.js';
export * from './workspaces.js';
