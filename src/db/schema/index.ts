export * from './calendars.js';
export * from './conversations.js';
export * from './customers.js';
export * from './events.js';
export * from './people.js';
export * from './reasons.js';
export * from './templates.js';
export * from './workspaces.js';
