import { startSteward } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/index.js';
import { loadDemoData } from './demo-command.js';
import { createLogger } from './logger.js';

/** Composition root: config -> database -> migrate -> app -> listen; workers; signals. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let steward: Awaited<ReturnType<typeof startSteward>>;
  try {
    const demo = process.argv.includes('--demo');
    steward = await startSteward(config, log, { listen: false, generateOwner: demo });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }
  const workspace = steward.firstStart.workspace;
  if (process.argv.includes('--demo') && workspace) {
    await loadDemoData(steward.deps, workspace.id, log);
  }
  await steward.app.listen({ port: config.port, host: config.host });
  const address = steward.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  log.info({ port, url: base }, `Steward is listening on ${base}`);
  const created = steward.firstStart.created;
  if (created) {
    const lines = [
      '',
      `  Steward is ready. Open ${base} and sign in as the owner of the new workspace:`,
      `    workspace: ${created.workspace.slug}`,
      `    e-mail:    ${created.owner.email}`,
      created.generatedPassword
        ? `    password:  ${created.generatedPassword}   (shown only this once: change it after signing in)`
        : '    password:  the one in STEWARD_ADMIN_PASSWORD',
      `    API:       POST ${base}/api/v1/session, reference at ${base}/api/docs`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } else if (!workspace) {
    const lines = [
      '',
      `  Steward is ready to be set up. Open ${base} to create your workspace and its owner account.`,
      '  (Until then, whoever opens that address first can set it up; STEWARD_ADMIN_EMAIL and',
      '  STEWARD_ADMIN_PASSWORD create the owner at start instead.)',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing requests and jobs in flight');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await steward.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
