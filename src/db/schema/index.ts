export * from './conversations.js';
export * from './customers.js';
export * from './events.js';
export * from './notifications.js';
export * from './people.js';
export * from './workspaces.js';
