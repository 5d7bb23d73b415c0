import type { Logger } from 'pino';
import type { Deps } from './platform/index.js';

/** Loads the demo data set into a workspace (npm run demo / npm start -- --demo). */
export async function loadDemoData(_deps: Deps, _workspaceId: number, log: Logger): Promise<void> {
  log.warn('the demo data generator is being wired in');
}
